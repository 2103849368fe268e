using ActionExec.AspNetCore.Receiving;

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
    }

    [Fact]
    public void Validate_Defaults_WithAKey_Succeeds()
    {
        var options = new ActionReceiverOptions();
        options.SigningKeys.Add("key");

        Assert.True(new ActionReceiverOptionsValidator().Validate(null, options).Succeeded);
    }
}
