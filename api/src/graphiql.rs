//! GraphiQL, served with its scripts from the binary: no CDN, so it works offline. Its
//! bundle carries the graphql-ws client, so subscriptions run in it too.
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>bomgraph GraphiQL</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script>
    // Subscriptions run over /graphql/ws; the Headers tab's headers (the token) travel
    // in the socket's connection_init payload.
    const fetcher = GraphiQL.createFetcher({
      url: '/graphql',
      subscriptionUrl: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws',
    });
    const defaultQuery = `# Put your token in the Headers tab below, as
#   {"Authorization": "Bearer <token>"}
# bomgraph demo prints one; bomgraph token create makes one.
# The schema (Docs, autocompletion) loads without a token.
query FirstLook {
  me { username teams { teamName role } }
  boms(first: 10) {
    totalCount
    nodes {
      id name version approved
      lines { quantity reference part { name mpn } substitutes { part { name } } }
    }
  }
}

# Every mutation takes one input and answers a payload with what changed
# (run it with the id of one of your BOMs):
# mutation AddLine($bom: ID!) {
#   addBomLine(input: {bomId: $bom, quantity: "1", reference: "R1"}) {
#     bomLine { id quantity }
#     bom { id lineCount }
#   }
# }
`;
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery,
        defaultHeaders: '{}',
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
      }),
    );
  </script>
</body>
</html>
"#;

fn asset(body: &'static [u8], content_type: &'static str) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/graphiql", get(|| async { Html(PAGE) }))
        .route(
            "/graphiql/graphiql.min.js",
            get(|| async {
                asset(
                    include_bytes!("../vendor/graphiql/graphiql.min.js"),
                    "text/javascript",
                )
            }),
        )
        .route(
            "/graphiql/graphiql.min.css",
            get(|| async {
                asset(
                    include_bytes!("../vendor/graphiql/graphiql.min.css"),
                    "text/css",
                )
            }),
        )
        .route(
            "/graphiql/react.production.min.js",
            get(|| async {
                asset(
                    include_bytes!("../vendor/graphiql/react.production.min.js"),
                    "text/javascript",
                )
            }),
        )
        .route(
            "/graphiql/react-dom.production.min.js",
            get(|| async {
                asset(
                    include_bytes!("../vendor/graphiql/react-dom.production.min.js"),
                    "text/javascript",
                )
            }),
        )
}
