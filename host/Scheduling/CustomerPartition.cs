using System.Text;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Which partition of a run a case belongs to: a stable hash of its customer modulo the number of partitions, so all
/// of a customer's cases are evaluated by the same partition, and the assignment is the same in every process, on
/// every machine and in every .NET version (unlike <see cref="string.GetHashCode()"/>, which is randomized per process).
/// </summary>
public static class CustomerPartition
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The 32-bit FNV-1a hash of the UTF-8 bytes of <paramref name="customer"/>.</summary>
    public static uint Hash(string customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        Span<byte> buffer = customer.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(customer.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(customer.Length)];
        var length = Encoding.UTF8.GetBytes(customer, buffer);
        var hash = FnvOffsetBasis;
        foreach (var b in buffer[..length])
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }

        return hash;
    }

    /// <summary>The partition of <paramref name="customer"/>: 0 (inclusive) to <paramref name="partitions"/> (exclusive).</summary>
    public static int Of(string customer, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(Hash(customer) % (uint)partitions);
    }

    /// <summary>The customers of <paramref name="customers"/> that fall into <paramref name="partition"/>, in their given order.</summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> customers, int partition, int partitions) =>
        [.. customers.Where(c => Of(c, partitions) == partition)];
}
