using System.Text.Json;

namespace Empower.Cli.Runner;

/// <summary>
/// Prints an error that ended a command and returns its exit code (<see cref="ExitCodes.Of(Exception)"/>): the message as text,
/// or with <c>--json</c> one object <c>{"error": …, "exitCode": …}</c>, so a script always gets one JSON object.
/// </summary>
internal static class CliErrors
{
    public static int Report(Exception error, bool json)
    {
        int code = ExitCodes.Of(error);
        string message = Message(error);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { error = message, exitCode = code }));
        }
        else
        {
            // Not through the console renderer: it wraps at the terminal's width, and at 80 columns in a pipe.
            Console.Out.WriteLine($"error: {message}");
        }

        return code;
    }

    private static string Message(Exception error)
    {
        // Wrappers (a failed task, a type initializer) hide the reason: show the innermost messages that add something.
        var parts = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !parts.Any(p => p.Contains(e.Message, StringComparison.Ordinal)))
            {
                parts.Add(e.Message.Trim());
            }
        }

        return string.Join(" — ", parts);
    }
}
