using System.Security.Cryptography;
using System.Text;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Payloads;
using ActionExec.Storage;
using ActionExec.Targets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Benchmarks.Payloads;

/// <summary>
/// What building the body of one attempt costs by payload type: <c>json</c> (the payload as it is, the baseline), <c>jwt</c> (a JWS
/// signed with the host's RSA 2048 or EC P-256 key) and <c>jwe</c> (that JWS encrypted to the target's RSA 2048 or EC P-256 key).
/// </summary>
[MemoryDiagnoser]
public class PayloadEncodingBenchmarks
{
    private PayloadEncoder _rsaHost = null!;
    private PayloadEncoder _ecHost = null!;
    private ResolvedTarget _json = null!;
    private ResolvedTarget _jwt = null!;
    private ResolvedTarget _jweRsa = null!;
    private ResolvedTarget _jweEc = null!;
    private byte[] _payload = null!;

    /// <summary>The size of the JSON payload in bytes (about).</summary>
    [Params(512, 8192)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new DispatchOptions());
        _rsaHost = new PayloadEncoder(TimeProvider.System, options, new InMemoryPayloadSigningKeyProvider(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "host-rsa" }));
        _ecHost = new PayloadEncoder(TimeProvider.System, options, new InMemoryPayloadSigningKeyProvider(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "host-ec" }));
        _json = Target(PayloadType.Json, null);
        _jwt = Target(PayloadType.Jwt, null);
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _jweRsa = Target(PayloadType.Jwe, rsa.ExportSubjectPublicKeyInfoPem());
        _jweEc = Target(PayloadType.Jwe, ec.ExportSubjectPublicKeyInfoPem());

        var request = new StringBuilder("""{"fullMethod":"/zitadel.user.v2.UserService/AddHumanUser","instanceID":"i-1","orgID":"o-1","userID":"u-1","request":{"data":" """);
        request.Append('x', Math.Max(0, PayloadBytes - request.Length - 4)).Append("\"}}");
        _payload = Encoding.UTF8.GetBytes(request.ToString());
    }

    [Benchmark(Baseline = true)]
    public int Json() => Encode(_rsaHost, _json);

    [Benchmark]
    public int JwtRsa() => Encode(_rsaHost, _jwt);

    [Benchmark]
    public int JwtEc() => Encode(_ecHost, _jwt);

    [Benchmark]
    public int JweRsa() => Encode(_rsaHost, _jweRsa);

    [Benchmark]
    public int JweEc() => Encode(_ecHost, _jweEc);

    private int Encode(PayloadEncoder encoder, ResolvedTarget target) =>
        encoder.TryEncode(target, _payload, out var encoded, out var problem) ? encoded.Length : throw new InvalidOperationException(problem);

    private static ResolvedTarget Target(PayloadType type, string? publicKeyPem)
    {
        var target = new Target
        {
            Id = "t-1",
            Name = "hook",
            Endpoint = "https://receiver.example/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
            PayloadType = type,
        };
        var keys = publicKeyPem is null
            ? []
            : (System.Collections.Immutable.ImmutableArray<TargetPublicKey>)[new TargetPublicKey { KeyId = "target-key", PublicKey = publicKeyPem, Fingerprint = "SHA256:x", Active = true }];
        return new ResolvedTarget(new StoredTarget(target, "") { PublicKeys = keys });
    }
}
