namespace Kenbun.LeadImport.Storage;

/// <summary>How far a <see cref="LeadImportStorage"/> reaches: which hosts may share it, each keeping every rule.</summary>
public enum StorageScope
{
    /// <summary>One process: the storage lives in its memory (the in-memory stores).</summary>
    OneProcess = 1,

    /// <summary>Several processes on one machine, sharing a local database file (SQLite).</summary>
    OneMachine = 2,

    /// <summary>Any number of hosts on any machines, sharing a database server.</summary>
    ManyMachines = 3,
}
