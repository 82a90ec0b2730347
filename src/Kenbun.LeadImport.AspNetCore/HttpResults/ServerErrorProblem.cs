using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>500: a fault of the server's own (a bug, a damaged store), said without its exception, which only the log holds.</summary>
internal sealed class ServerErrorProblem() : ProblemResult(
    StatusCodes.Status500InternalServerError,
    "Server error",
    "The import failed on the server's side; it has been logged. Nothing was changed that you need to undo.");
