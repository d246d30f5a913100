using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>The admin API's answers to what the application layer refused, as problem details.</summary>
public static class AdminProblems
{
    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors, string? title = null) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(errors), title: title);

    public static ProblemHttpResult NoSuchNotice(long id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such notice",
        detail: NoticeOperations.NoSuchNotice(id));

    /// <summary>An operator action's refusal or failure: 403, 404, 409, or a 5xx when nothing could be saved.</summary>
    public static ProblemHttpResult Of(OperationResult result) => result switch
    {
        OperationResult.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: forbidden.Message),
        OperationResult.NotFound notFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such notice", detail: notFound.Message),
        OperationResult.Conflict conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the notice's state", detail: conflict.Message),
        OperationResult.NotSaved notSaved => NotSaved(notSaved.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
    };

    /// <summary>The change and its audit record could not be committed together: nothing changed.</summary>
    public static ProblemHttpResult NotSaved(string message) => TypedResults.Problem(
        statusCode: StatusCodes.Status500InternalServerError,
        title: "Nothing was changed",
        detail: message);
}
