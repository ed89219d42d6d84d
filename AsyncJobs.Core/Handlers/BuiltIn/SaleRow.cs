namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>One synthetic sale: region and product are indexes into <see cref="SyntheticSales"/>'s fixed lists.</summary>
internal readonly record struct SaleRow(DateOnly Date, int Region, int Product, int Quantity, decimal UnitPrice)
{
    public decimal Amount => Quantity * UnitPrice;
}
