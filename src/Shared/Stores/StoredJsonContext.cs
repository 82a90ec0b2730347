using System.Text.Json.Serialization;

namespace Kenbun.LeadImport.Stores;

/// <summary>The JSON of the stored shapes, generated at build time: the stores' one serializer context.</summary>
[JsonSerializable(typeof(StoredJob))]
[JsonSerializable(typeof(StoredFile))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
