namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// Adapts the records per request: halves on a timeout or a slow request (large requests are the usual cause of
/// timeouts and long locks), and grows back by a quarter after a run of fast ones, never above the configured size.
/// </summary>
internal sealed class BatchSizeController(int initial, int minimum)
{
    private const int GrowAfter = 10;
    private readonly object _lock = new();
    private readonly int _initial = initial;
    private int _size = initial;
    private int _fastInARow;

    public int Current
    {
        get
        {
            lock (_lock)
            {
                return _size;
            }
        }
    }

    /// <summary>Records one request's speed; returns the new size when it changed.</summary>
    public int? Observe(bool slow)
    {
        lock (_lock)
        {
            if (slow)
            {
                _fastInARow = 0;
                int smaller = Math.Max(minimum, _size / 2);
                return Change(smaller);
            }

            if (++_fastInARow >= GrowAfter && _size < _initial)
            {
                _fastInARow = 0;
                return Change(Math.Min(_initial, Math.Max(_size + 1, _size * 5 / 4)));
            }

            return null;
        }
    }

    private int? Change(int size)
    {
        if (size == _size)
        {
            return null;
        }

        _size = size;
        return size;
    }
}
