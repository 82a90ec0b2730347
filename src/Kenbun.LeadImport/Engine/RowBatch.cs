using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// A batch of rows read and validated, travelling through the pipeline. Its arrays are sized once and reused for
/// the next batch, so the steady state allocates little more than the rows' own strings.
/// </summary>
internal sealed class RowBatch
{
    public RowBatch(int capacity, ColumnPlan plan)
    {
        Capacity = capacity;
        Rows = new PreparedRow[capacity];
        FieldValues = new string?[capacity * plan.Fields.Length];
        Aliases = new AliasCell[capacity * plan.Aliases.Length];
        _rawOffsets = new int[capacity + 1];
    }

    private readonly int[] _rawOffsets;
    private byte[] _raw = new byte[4096];

    public int Capacity { get; }

    public int Count { get; set; }

    /// <summary>The batch's position in the job: the first batch is 1.</summary>
    public long Sequence { get; set; }

    public PreparedRow[] Rows { get; }

    /// <summary>Row-major: the value of mapped field f of row r is at <c>r * fieldCount + f</c>; null when blank.</summary>
    public string?[] FieldValues { get; }

    /// <summary>Row-major like <see cref="FieldValues"/>, one cell per alias column.</summary>
    public AliasCell[] Aliases { get; }

    /// <summary>Every identifier of the batch, primary and alias, once each: what one look-up asks for.</summary>
    public HashSet<IdentifierKey> Identifiers { get; } = [];

    /// <summary>What the store said owns each identifier when it was looked up.</summary>
    public Dictionary<IdentifierKey, string> Owners { get; } = [];

    /// <summary>How many batches of this job had been committed when the look-up began; later ones may be missing from <see cref="Owners"/>.</summary>
    public long LookupWatermark { get; set; }

    /// <summary>Set when the look-up failed beyond its retries: the batch's rows fail with <c>Server error</c>.</summary>
    public bool LookupFailed { get; set; }

    public long LastRow => Rows[Count - 1].Row;

    /// <summary>Keeps the current record's raw text for row <paramref name="r"/>, so its cells can be recovered if the batch fails.</summary>
    public void KeepRawRecord(int r, ReadOnlySpan<byte> raw)
    {
        var start = _rawOffsets[r];
        if (start + raw.Length > _raw.Length)
        {
            Array.Resize(ref _raw, Math.Max(_raw.Length * 2, start + raw.Length));
        }

        raw.CopyTo(_raw.AsSpan(start));
        _rawOffsets[r + 1] = start + raw.Length;
    }

    /// <summary>The cells of row <paramref name="r"/> as the file had them.</summary>
    public string[] ReadCells(int r, char delimiter) =>
        CsvFileReader.ParseRecord(_raw.AsMemory(_rawOffsets[r], _rawOffsets[r + 1] - _rawOffsets[r]), delimiter);

    public void Reset()
    {
        Array.Clear(Rows, 0, Count);
        Array.Clear(FieldValues);
        Array.Clear(Aliases);
        Count = 0;
        Identifiers.Clear();
        Owners.Clear();
        LookupFailed = false;
    }
}

/// <summary>One row after validation: its failure, or its primary identifier.</summary>
internal struct PreparedRow
{
    public long Row;

    /// <summary>The row's error, when it failed validation; it then has no identifier or values.</summary>
    public RowError? Error;

    public IdentifierKey Primary;
}

/// <summary>An alias cell: blank, a valid identifier, or an invalid value that becomes a warning.</summary>
internal struct AliasCell
{
    public IdentifierKey? Identifier;

    public string? InvalidValue;
}
