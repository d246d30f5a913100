using CorpNotifier.Admin;
using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Privacy;

/// <summary>An admin erases a client's personal data: <c>POST /api/v1/clients/{clientId}/erasure</c>.</summary>
public static class ErasureApi
{
    public static IEndpointRouteBuilder MapErasureApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/clients").WithTags("Privacy")
            .MapPost("/{clientId}/erasure", Erase).WithName("EraseClient").RequireAuthorization(Policies.Administer)
            .WithSummary("Erase a client's personal data (name, addresses, arguments, event payloads, audit payloads); 409 while it has pending or sending letters unless cancelPending is true; audited with who and why");
        return app;
    }

    public static async Task<Results<Ok<ErasureSummary>, ValidationProblem, ProblemHttpResult>> Erase(
        string clientId,
        ErasureRequest body,
        HttpRequest request,
        ClientEraser eraser,
        CancellationToken cancellationToken)
    {
        var actor = Actor.From(request.HttpContext.User);
        return await eraser.EraseAsync(clientId, body, actor, cancellationToken) switch
        {
            ErasureResult.Done done => TypedResults.Ok(done.Summary),
            ErasureResult.Invalid invalid => AdminProblems.Invalid(FieldError.ByKey(invalid.Errors), "The erasure request is invalid"),
            ErasureResult.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: forbidden.Message),
            ErasureResult.Pending pending => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The client has letters under way", detail: pending.Message),
            ErasureResult.NotSaved notSaved => AdminProblems.NotSaved(notSaved.Message),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
        };
    }
}
