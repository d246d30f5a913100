// The container image's health check: GET the address given (by default the service's
// /health/live on the port the image listens on) and exit 0 on a 2xx answer, 1 on anything
// else or no answer within three seconds. The runtime image (Ubuntu chiseled) has no shell,
// curl or wget, so the check is this small program on the runtime the image already carries.
//   dotnet /health-probe/HealthProbe.dll [http://127.0.0.1:8080/health/live]

var address = args is [var given, ..] ? given : "http://127.0.0.1:8080/health/live";

// No proxy: an HTTP_PROXY set for the service's outgoing calls must not catch the loopback.
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
{
    Timeout = TimeSpan.FromSeconds(3),
};

try
{
    using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead);
    Console.WriteLine($"{address}: {(int)response.StatusCode}");
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
{
    Console.Error.WriteLine($"{address}: {ex.Message}");
    return 1;
}
