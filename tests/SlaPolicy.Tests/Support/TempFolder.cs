using Microsoft.Data.Sqlite;

namespace SlaPolicy.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted (with pooled SQLite handles released) on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slapolicy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the OS temp cleaner takes the rest.
        }
    }
}
