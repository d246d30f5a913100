namespace CorpNotifier.AdminUi;

/// <summary>How a console page answers with a status other than 200.</summary>
public static class ConsoleResponse
{
    /// <summary>
    /// The page is rendered inside the console's layout as always, and answered with
    /// <paramref name="status"/>: the status is set as the response starts. (A status set while the
    /// page renders is taken by the page renderer for a missing page, and a 404 would go out with no
    /// body, or with the API's bare problem document.)
    /// </summary>
    public static void Answer(HttpContext context, int status) =>
        context.Response.OnStarting(() =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
}
