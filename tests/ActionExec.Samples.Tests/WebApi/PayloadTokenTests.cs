using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Samples.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Samples.Tests.WebApi;

/// <summary>The sample signs the payloads of its jwt targets and publishes the key, so a receiver can verify them on its own.</summary>
public sealed class PayloadTokenTests
{
    private const string SayHello = "/demo.v1.GreeterService/SayHello";

    [Fact]
    public async Task SayHello_JwtWebhook_ReceiverVerifiesTheTokenWithTheSamplesJwks()
    {
        await using var host = await SampleHost.StartAsync();
        var received = host.NextRequestTo("/signed");
        var body = $$"""{"name":"signed","endpoint":"{{host.Receiver.Url("/signed")}}","timeout":"10s","restWebhook":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JWT"}""";
        using (var created = await host.SendAsync(HttpMethod.Post, "/v2/actions/targets", body))
        {
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.OK, text);
            await host.SetExecutionAsync($$$"""{"request":{"method":"{{{SayHello}}}"}}""", (string)JsonNode.Parse(text)!["id"]!);
        }

        using var response = await host.CallAsync(SayHello, """{"name": "Ada"}""");
        var request = await received.WaitAsync(TimeSpan.FromSeconds(30));
        using var jwks = await host.Client.GetAsync(new Uri("/.well-known/actionexec/jwks.json", UriKind.Relative));
        var keys = new JsonWebKeySet(await jwks.Content.ReadAsStringAsync());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(
            Encoding.ASCII.GetString(request.Body),
            new TokenValidationParameters { IssuerSigningKeys = keys.GetSigningKeys(), ValidateIssuer = false, ValidateAudience = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.Single(keys.Keys);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(SayHello, result.Claims["fullMethod"]);
    }

    [Fact]
    public async Task Jwks_PublishesOnlyThePublicPartOfTheKey()
    {
        await using var host = await SampleHost.StartAsync();

        using var jwks = await host.Client.GetAsync(new Uri("/.well-known/actionexec/jwks.json", UriKind.Relative));
        var key = Assert.Single(new JsonWebKeySet(await jwks.Content.ReadAsStringAsync()).Keys);

        Assert.Equal("EC", key.Kty);
        Assert.Null(key.D);
        Assert.False(string.IsNullOrEmpty(key.Kid));
    }
}
