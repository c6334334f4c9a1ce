using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Server.GraphQL;

/// <summary>
/// A minimal, self-contained GraphQL console (no GraphiQL bundle: the server works offline and loads nothing from a CDN).
/// It POSTs the query to <c>/graphql</c> with the token typed into it.
/// </summary>
internal static class GraphQLPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Switchboard GraphQL console</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 1.5rem; max-width: 70rem; }
          textarea, input { font-family: ui-monospace, monospace; width: 100%; box-sizing: border-box; }
          textarea { height: 14rem; }
          pre { background: #f4f4f4; padding: 1rem; overflow: auto; min-height: 8rem; }
          .note { color: #555; font-size: 0.9rem; }
        </style>
        </head>
        <body>
        <h1>Switchboard GraphQL console</h1>
        <p class="note">A minimal built-in console (not GraphiQL): type a query, an access token or API key, and Run.
        It sends <code>POST /graphql</code>. Depth is limited to 10 levels.</p>
        <label>Access token or API key<input id="token" type="password" autocomplete="off" placeholder="eyJ… or sb_…"></label>
        <label>Query<textarea id="query">{
          queues { name stats { depth ready inFlight deadLetterDepth } }
          topics { name subscriptionCount }
        }</textarea></label>
        <label>Variables (JSON)<input id="variables" value="{}"></label>
        <p><button id="run" type="button">Run</button></p>
        <pre id="result"></pre>
        <script>
          const token = document.getElementById('token');
          token.value = sessionStorage.getItem('switchboard.token') || '';
          document.getElementById('run').addEventListener('click', async () => {
            const out = document.getElementById('result');
            sessionStorage.setItem('switchboard.token', token.value);
            let variables;
            try { variables = JSON.parse(document.getElementById('variables').value || '{}'); }
            catch (e) { out.textContent = 'Variables are not valid JSON: ' + e.message; return; }
            const headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
            if (token.value) headers['Authorization'] = 'Bearer ' + token.value;
            try {
              const response = await fetch(location.pathname.replace(/\/ui\/?$/, ''), {
                method: 'POST', headers, body: JSON.stringify({ query: document.getElementById('query').value, variables })
              });
              out.textContent = 'HTTP ' + response.status + '\n' + JSON.stringify(await response.json(), null, 2);
            } catch (e) { out.textContent = 'Request failed: ' + e.message; }
          });
        </script>
        </body>
        </html>
        """;

    /// <summary>
    /// The page's own Content-Security-Policy: its one inline script and style run by their hashes, it talks only to
    /// this origin, and nothing else may load, frame it or be submitted.
    /// </summary>
    internal static string Policy { get; } =
        $"default-src 'none'; script-src {HashOf("script")}; style-src {HashOf("style")}; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IResult Result(HttpContext context)
    {
        context.Response.Headers.ContentSecurityPolicy = Policy;
        return TypedResults.Content(Html, "text/html; charset=utf-8");
    }

    private static string HashOf(string element)
    {
        var content = Regex.Match(Html, $"<{element}>(.*?)</{element}>", RegexOptions.Singleline).Groups[1].Value;
        return $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}'";
    }
}
