namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>
/// Deterministic synthetic sales rows. Rows come in blocks of <see cref="BlockSize"/>, each drawn from its own
/// seeded <see cref="Random"/>, so row i depends only on the seed and its block: a retried attempt, or the same
/// job with another chunk size, sees exactly the same rows.
/// </summary>
internal sealed class SyntheticSales(int seed)
{
    public const int BlockSize = 1_000;

    public static readonly DateOnly FirstDay = new(2025, 1, 1);

    public static readonly string[] Regions = ["Central", "East", "North", "South", "West"];

    public static readonly string[] Products = ["Cable", "Charger", "Headphones", "Keyboard", "Laptop", "Monitor", "Mouse", "Phone", "Tablet", "Webcam"];

    // List prices in cents, one per product; a sale's unit price is within ±20 % of it.
    private static readonly int[] ListPriceCents = [1_499, 2_999, 8_999, 6_999, 129_900, 32_900, 2_499, 79_900, 49_900, 5_999];

    /// <summary>Fills <paramref name="rows"/> (at least <see cref="BlockSize"/> long) with block <paramref name="block"/>.</summary>
    public void FillBlock(int block, Span<SaleRow> rows)
    {
        var random = new Random(BlockSeed(block));
        for (var i = 0; i < BlockSize; i++)
        {
            var date = FirstDay.AddDays(random.Next(365));
            var region = random.Next(Regions.Length);
            var product = random.Next(Products.Length);
            var quantity = random.Next(1, 21);
            var unitPriceCents = ListPriceCents[product] * random.Next(80, 121) / 100;
            rows[i] = new SaleRow(date, region, product, quantity, new decimal(unitPriceCents, 0, 0, isNegative: false, scale: 2));
        }
    }

    // A bijective 64-bit mix (SplitMix64's finalizer) of (seed, block), so neighbouring seeds and blocks get unrelated streams.
    private int BlockSeed(int block)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)block;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
