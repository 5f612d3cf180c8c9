namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads subscriptions from JSON Lines: <c>customer</c>, <c>tier</c>, <c>region</c>, <c>service</c>, optional
/// <c>monthlyFee</c> (a number, zero or more; absent or null: the policy's <c>monthlyFee</c> applies) and
/// <c>currency</c>. Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class SubscriptionReader
{
    private const int Customer = 1, Tier = 2, Region = 4, Service = 8, MonthlyFee = 16, Currency = 32;

    private static readonly string[] Known = ["customer", "tier", "region", "service", "monthlyFee", "currency"];

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<SubscriptionRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, Parse);

    /// <summary>Reads a subscriptions file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<SubscriptionRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputFiles.Read(path, stream => Read(stream, path, limits));

    private static SubscriptionRecord Parse(ReadOnlySpan<byte> line, LineParseContext context)
    {
        var json = new RecordReader(line, context);
        var seen = 0;
        string customer = "", tier = "", region = "", service = "";
        decimal? fee = null;
        string? currency = null;
        HashSet<string>? unknown = null;
        while (json.NextProperty())
        {
            if (json.NameIs("customer"u8))
            {
                RecordReader.Once(ref seen, Customer, "customer");
                customer = json.ReadString("customer", pooled: true);
            }
            else if (json.NameIs("tier"u8))
            {
                RecordReader.Once(ref seen, Tier, "tier");
                tier = json.ReadString("tier", pooled: true);
            }
            else if (json.NameIs("region"u8))
            {
                RecordReader.Once(ref seen, Region, "region");
                region = json.ReadString("region", pooled: true);
            }
            else if (json.NameIs("service"u8))
            {
                RecordReader.Once(ref seen, Service, "service");
                service = json.ReadString("service", pooled: true);
            }
            else if (json.NameIs("monthlyFee"u8))
            {
                RecordReader.Once(ref seen, MonthlyFee, "monthlyFee");
                fee = json.ReadOptionalDecimal("monthlyFee", InputRanges.MaxMonthlyFee);
            }
            else if (json.NameIs("currency"u8))
            {
                RecordReader.Once(ref seen, Currency, "currency");
                currency = json.ReadOptionalString("currency", pooled: true);
            }
            else
            {
                json.SkipUnknown(Known, null, ref unknown);
            }
        }

        RecordReader.Require(seen, Customer, "customer");
        RecordReader.Require(seen, Tier, "tier");
        RecordReader.Require(seen, Region, "region");
        RecordReader.Require(seen, Service, "service");
        return new SubscriptionRecord(customer, tier, region, service, fee, currency);
    }
}
