using FsCheck;
using FsCheck.Xunit;

namespace SlaPolicy.Tests.Scheduling;

public class CustomerPartitionTests
{
    [Property(MaxTest = 300)]
    public bool Select_AnyCustomersAndPartitions_EveryCustomerInExactlyOnePartition(NonNull<string>[] customers, PositiveInt count)
    {
        var partitions = count.Get % 64 + 1;
        var names = customers.Select(c => c.Get).Distinct(StringComparer.Ordinal).ToArray();

        var selected = Enumerable.Range(0, partitions).SelectMany(p => CustomerPartition.Select(names, p, partitions)).ToArray();

        // Total (every customer somewhere) and disjoint (nowhere twice): the union of the partitions is the input, once each.
        return selected.Length == names.Length && selected.Order(StringComparer.Ordinal).SequenceEqual(names.Order(StringComparer.Ordinal));
    }

    [Property(MaxTest = 300)]
    public bool Of_SameCustomerTwice_SamePartitionWithinRange(NonNull<string> customer, PositiveInt count)
    {
        var partitions = count.Get % 64 + 1;
        var first = CustomerPartition.Of(customer.Get, partitions);

        return first == CustomerPartition.Of(new string(customer.Get.AsSpan()), partitions) && first >= 0 && first < partitions;
    }

    [Fact]
    public void Hash_KnownInputs_FnvOneA()
    {
        // The published FNV-1a 32-bit test vectors: "" is the offset basis 0x811c9dc5, "a" is 0xe40c292c and "foobar"
        // is 0xbf9cf968. Fixed values, so the partition of a customer never changes between versions or machines.
        CustomerPartition.Hash(string.Empty).ShouldBe(0x811c9dc5u);
        CustomerPartition.Hash("a").ShouldBe(0xe40c292cu);
        CustomerPartition.Hash("foobar").ShouldBe(0xbf9cf968u);
    }

    [Fact]
    public void Of_NonAsciiCustomer_HashesItsUtf8Bytes()
    {
        // "é" is the two UTF-8 bytes C3 A9: ((0x811c9dc5 ^ 0xC3) * 16777619 ^ 0xA9) * 16777619 mod 2^32, worked by hand
        // below, so the hash is over UTF-8 and not over UTF-16 code units.
        uint hash = 0x811c9dc5;
        hash = unchecked((hash ^ 0xC3) * 16777619u);
        hash = unchecked((hash ^ 0xA9) * 16777619u);

        CustomerPartition.Hash("é").ShouldBe(hash);
        CustomerPartition.Of("é", 7).ShouldBe((int)(hash % 7));
    }
}
