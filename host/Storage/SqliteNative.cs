using System.Runtime.InteropServices;
using System.Text;
using SQLitePCL;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// SQLite's binding, stepping and column functions called straight on the statement's pointer, for the decision
/// sink's prepared statements (a row of 25 values a decision, a million decisions a night) and the night's read of
/// the cases. SQLitePCL's own entry points take the statement's safe handle, whose count is raised and lowered around
/// every call, copy each text into a new UTF-8 array before a bind and make a string of each text read; these encode
/// a text into one reused buffer and let SQLite copy it (SQLITE_TRANSIENT), and lend a text read as SQLite's own
/// bytes. The library is the one SQLitePCL loaded (e_sqlite3); the caller keeps the statement's safe handle alive.
/// </summary>
internal sealed partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLite copies the value before the call returns.</summary>
    private static readonly nint Transient = -1;

    private byte[] _text = new byte[256];

    /// <summary>
    /// Throws when SQLitePCL's provider is not the e_sqlite3 library these functions are imported from (a pointer of
    /// another library's statement must never reach them); the store's package brings that provider.
    /// </summary>
    public static void EnsureSameLibrary()
    {
        if (raw.GetNativeLibraryName() is var name && !string.Equals(name, Library, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the SQLite store needs SQLitePCL's {Library} provider; the one in use is {name}");
        }
    }

    /// <summary>Binds <paramref name="value"/> (null: NULL) as UTF-8 text.</summary>
    public int Text(nint statement, int index, string? value)
    {
        if (value is null)
        {
            return sqlite3_bind_null(statement, index);
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _text.Length)
        {
            _text = new byte[Math.Max(max, _text.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _text);
        return sqlite3_bind_text(statement, index, ref MemoryMarshal.GetArrayDataReference(_text), length, Transient);
    }

    /// <summary>
    /// Binds a value in one of the forms a store keeps (null, text, whole number or double), giving SQLite's result
    /// code; false, and nothing bound, for a value of another type.
    /// </summary>
    public bool TryBind(nint statement, int index, object? value, out int rc)
    {
        switch (value)
        {
            case null:
                rc = sqlite3_bind_null(statement, index);
                return true;
            case string text:
                rc = Text(statement, index, text);
                return true;
            case int number:
                rc = sqlite3_bind_int64(statement, index, number);
                return true;
            case long number:
                rc = sqlite3_bind_int64(statement, index, number);
                return true;
            case double number:
                rc = sqlite3_bind_double(statement, index, number);
                return true;
            default:
                rc = 0;
                return false;
        }
    }

    /// <summary>Binds UTF-8 bytes as text.</summary>
    public static int Text(nint statement, int index, ReadOnlySpan<byte> utf8) =>
        sqlite3_bind_text(statement, index, ref MemoryMarshal.GetReference(utf8.IsEmpty ? [0] : utf8), utf8.Length, Transient);

    public static int Int64(nint statement, int index, long value) => sqlite3_bind_int64(statement, index, value);

    public static int Int64(nint statement, int index, long? value) => value is { } v ? sqlite3_bind_int64(statement, index, v) : sqlite3_bind_null(statement, index);

    public static int Double(nint statement, int index, double value) => sqlite3_bind_double(statement, index, value);

    public static int Step(nint statement) => sqlite3_step(statement);

    public static int Reset(nint statement) => sqlite3_reset(statement);

    public static int Changes(nint database) => sqlite3_changes(database);

    /// <summary>The type of column <paramref name="index"/> of the current row (SQLITE_NULL: 5).</summary>
    public static int ColumnType(nint statement, int index) => sqlite3_column_type(statement, index);

    public static long ColumnInt64(nint statement, int index) => sqlite3_column_int64(statement, index);

    public static double ColumnDouble(nint statement, int index) => sqlite3_column_double(statement, index);

    /// <summary>
    /// The UTF-8 text of column <paramref name="index"/> of the current row, as SQLite holds it: valid until the
    /// statement steps, resets or is finalized, or the column is read in another form.
    /// </summary>
    public static unsafe ReadOnlySpan<byte> ColumnText(nint statement, int index)
    {
        // The pointer first, then the length: the order SQLite's documentation gives for a text read.
        var text = sqlite3_column_text(statement, index);
        var length = sqlite3_column_bytes(statement, index);
        return text == 0 ? [] : new ReadOnlySpan<byte>((void*)text, length);
    }

    /// <summary>The pointer of a statement SQLitePCL prepared.</summary>
    public static nint Of(sqlite3_stmt statement) => statement.DangerousGetHandle();

    /// <summary>The pointer of a connection SQLitePCL opened.</summary>
    public static nint Of(sqlite3 database) => database.DangerousGetHandle();

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_text(nint statement, int index, ref byte text, int bytes, nint destructor);

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_int64(nint statement, int index, long value);

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_double(nint statement, int index, double value);

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_null(nint statement, int index);

    [LibraryImport(Library)]
    private static partial int sqlite3_step(nint statement);

    [LibraryImport(Library)]
    private static partial int sqlite3_reset(nint statement);

    [LibraryImport(Library)]
    private static partial int sqlite3_changes(nint database);

    [LibraryImport(Library)]
    private static partial int sqlite3_column_type(nint statement, int index);

    [LibraryImport(Library)]
    private static partial long sqlite3_column_int64(nint statement, int index);

    [LibraryImport(Library)]
    private static partial double sqlite3_column_double(nint statement, int index);

    [LibraryImport(Library)]
    private static partial nint sqlite3_column_text(nint statement, int index);

    [LibraryImport(Library)]
    private static partial int sqlite3_column_bytes(nint statement, int index);
}
