using ActionExec.Samples.WebApi;

// The ActionExec WebApi sample; README.md shows a session with it.
await using var app = WebApiSample.CreateApp(args);
await app.RunAsync();
