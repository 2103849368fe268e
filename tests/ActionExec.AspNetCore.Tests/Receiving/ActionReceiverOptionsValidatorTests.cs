using ActionExec.AspNetCore.Receiving;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Tests.Receiving;

public sealed class ActionReceiverOptionsValidatorTests
{
    [Fact]
    public void Validate_EverythingWrong_ListsEveryProblemNamingTheReceiver()
    {
        var options = new ActionReceiverOptions
        {
            Schemes = (AcceptedSignatureSchemes)4,
            Tolerance = TimeSpan.FromSeconds(-1),
            MaxBodyBytes = 0,
        };

        var result = new ActionReceiverOptionsValidator().Validate("hooks", options);

        Assert.True(result.Failed);
        Assert.Collection(
            result.Failures!,
            f => Assert.StartsWith("The action receiver 'hooks' has no signing key", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The action receiver 'hooks': Schemes is 4", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The action receiver 'hooks': Tolerance is -00:00:01", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The action receiver 'hooks': MaxBodyBytes is 0", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnusableKey_NamesItsIndexWithoutEchoingIt()
    {
        var options = new ActionReceiverOptions();
        options.SigningKeys.Add("whsec_");
        options.SigningKeys.Add("whsec_%%secret%%");

        var result = new ActionReceiverOptionsValidator().Validate("", options);

        Assert.Collection(
            result.Failures!,
            f => Assert.StartsWith("The default action receiver: SigningKeys[0] is not usable.", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The default action receiver: SigningKeys[1] is not usable.", f, StringComparison.Ordinal));
        Assert.All(result.Failures!, f => Assert.DoesNotContain("%%secret%%", f, StringComparison.Ordinal));
        Assert.All(result.Failures!, f => Assert.DoesNotContain("(Parameter", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Defaults_WithAKey_Succeeds()
    {
        var options = new ActionReceiverOptions();
        options.SigningKeys.Add("key");

        Assert.True(new ActionReceiverOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_JweWithoutKeys_ListsTheSenderKeysAndTheDecryptionKey()
    {
        var options = new ActionReceiverOptions { PayloadType = PayloadType.Jwe };
        options.SigningKeys.Add("key");

        var result = new ActionReceiverOptionsValidator().Validate("hooks", options);

        Assert.Collection(
            result.Failures!,
            f => Assert.StartsWith("The action receiver 'hooks' expects Jwe payloads but has no sender keys; set JwksUri", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The action receiver 'hooks' expects Jwe payloads but has no decryption key;", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadJoseSettings_ListsEachWithoutEchoingKeys()
    {
        var options = new ActionReceiverOptions
        {
            PayloadType = PayloadType.Jwe,
            JwksUri = new Uri("http://sender.example/jwks"),
            IssuerJwks = "not a key set",
        };
        options.SigningKeys.Add("key");
        options.DecryptionKeys["enc-1"] = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----";

        var result = new ActionReceiverOptionsValidator().Validate("hooks", options);

        Assert.Collection(
            result.Failures!,
            f => Assert.StartsWith("The action receiver 'hooks': JwksUri 'http://sender.example/jwks' is not an absolute HTTPS URL", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The action receiver 'hooks': IssuerJwks is not a JSON Web Key Set", f, StringComparison.Ordinal),
            f => Assert.StartsWith("The action receiver 'hooks': DecryptionKeys: The decryption key 'enc-1' is not an RSA or EC private key in PEM", f, StringComparison.Ordinal));
        Assert.All(result.Failures!, f => Assert.DoesNotContain("c2VjcmV0", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AcceptedSignatureSchemes.Zitadel, 0L, 1L)]
    [InlineData(AcceptedSignatureSchemes.StandardWebhooks, 300L, 0x7FFFFFC7L)]
    public void Validate_LimitValues_Succeed(AcceptedSignatureSchemes schemes, long toleranceSeconds, long maxBodyBytes)
    {
        var options = new ActionReceiverOptions { Schemes = schemes, Tolerance = TimeSpan.FromSeconds(toleranceSeconds), MaxBodyBytes = maxBodyBytes };
        options.SigningKeys.Add("key");

        Assert.Equal(0x7FFFFFC7, Array.MaxLength);
        Assert.True(new ActionReceiverOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BodyLimitBeyondArrayMaxLength_Fails()
    {
        var options = new ActionReceiverOptions { MaxBodyBytes = Array.MaxLength + 1L };
        options.SigningKeys.Add("key");

        var failure = Assert.Single(new ActionReceiverOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("The default action receiver: MaxBodyBytes is 2147483592", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedPayloadType_NamesIt()
    {
        var options = new ActionReceiverOptions { PayloadType = (PayloadType)7 };
        options.SigningKeys.Add("key");

        var failure = Assert.Single(new ActionReceiverOptionsValidator().Validate("hooks", options).Failures!);

        Assert.StartsWith("The action receiver 'hooks': PayloadType is 7", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_JwtWithAFixedKeySetOnly_Succeeds()
    {
        var options = new ActionReceiverOptions { PayloadType = PayloadType.Jwt, IssuerJwks = """{"keys":[]}""" };
        options.SigningKeys.Add("key");

        Assert.True(new ActionReceiverOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_NullOptions_Throws() =>
        Assert.Throws<ArgumentNullException>("options", () => new ActionReceiverOptionsValidator().Validate(null, null!));

    [Fact]
    public void Validate_JwtWithLoopbackHttpKeySet_Succeeds()
    {
        var options = new ActionReceiverOptions { PayloadType = PayloadType.Jwt, JwksUri = new Uri("http://127.0.0.1:8080/jwks") };
        options.SigningKeys.Add("key");

        Assert.True(new ActionReceiverOptionsValidator().Validate(null, options).Succeeded);
    }
}
