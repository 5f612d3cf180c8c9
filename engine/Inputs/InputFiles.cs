namespace SlaPolicy.Engine.Inputs;

/// <summary>Opens input files for the readers, sequentially and with a large buffer.</summary>
internal static class InputFiles
{
    public static IEnumerable<InputResult<T>> Read<T>(string path, Func<Stream, IEnumerable<InputResult<T>>> read)
        where T : class
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        foreach (var result in read(stream))
        {
            yield return result;
        }
    }
}
