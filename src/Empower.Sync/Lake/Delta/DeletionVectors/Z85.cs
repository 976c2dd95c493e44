namespace Empower.Sync.Lake.Delta.DeletionVectors;

/// <summary>Z85 (ZeroMQ base-85) decoding, which Delta uses for deletion-vector UUIDs and inline vectors.</summary>
internal static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static readonly sbyte[] Digits = BuildDigits();

    public static byte[] Decode(string text)
    {
        if (text.Length % 5 != 0)
        {
            throw new FormatException($"Z85 text must be a multiple of 5 characters long; '{text}' is {text.Length}.");
        }

        var bytes = new byte[text.Length / 5 * 4];
        for (int block = 0; block < text.Length / 5; block++)
        {
            uint value = 0;
            for (int i = 0; i < 5; i++)
            {
                char c = text[(block * 5) + i];
                int digit = c < 128 ? Digits[c] : -1;
                if (digit < 0)
                {
                    throw new FormatException($"'{c}' is not a Z85 character.");
                }

                value = checked((value * 85) + (uint)digit);
            }

            bytes[block * 4] = (byte)(value >> 24);
            bytes[(block * 4) + 1] = (byte)(value >> 16);
            bytes[(block * 4) + 2] = (byte)(value >> 8);
            bytes[(block * 4) + 3] = (byte)value;
        }

        return bytes;
    }

    private static sbyte[] BuildDigits()
    {
        var digits = new sbyte[128];
        Array.Fill(digits, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++)
        {
            digits[Alphabet[i]] = (sbyte)i;
        }

        return digits;
    }
}
