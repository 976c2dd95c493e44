using System.Numerics;

namespace Empower.Sync.Lake.Parquet;

/// <summary>
/// Converts a Parquet decimal (unscaled integer + scale) to <see cref="decimal"/>. Precision beyond what
/// <see cref="decimal"/> holds (28 fractional digits, 96-bit mantissa) is rounded half away from zero; only a value
/// whose integer part is too large fails.
/// </summary>
internal static class DecimalConverter
{
    private const int MaxScale = 28;
    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    public static decimal ToDecimal(BigInteger unscaled, int scale)
    {
        bool negative = unscaled.Sign < 0;
        var magnitude = BigInteger.Abs(unscaled);
        while (scale > 0 && (scale > MaxScale || magnitude > MaxMantissa))
        {
            magnitude = BigInteger.DivRem(magnitude, 10, out var remainder);
            if (remainder >= 5)
            {
                magnitude++;
            }

            scale--;
        }

        if (magnitude > MaxMantissa || scale < 0)
        {
            throw new OverflowException($"The decimal value {unscaled}E-{scale} is outside the range of .NET decimal (±7.9E28).");
        }

        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        magnitude.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        int lo = BitConverter.ToInt32(bytes[..4]);
        int mid = BitConverter.ToInt32(bytes[4..8]);
        int hi = BitConverter.ToInt32(bytes[8..12]);
        return new decimal(lo, mid, hi, negative, (byte)scale);
    }
}
