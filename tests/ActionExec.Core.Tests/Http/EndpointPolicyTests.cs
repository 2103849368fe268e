using System.Buffers.Binary;
using System.Net;
using ActionExec.Errors;
using ActionExec.Http;
using CsCheck;

namespace ActionExec.Tests.Http;

/// <summary>
/// The endpoint policy's decision, asked directly: no test here opens a connection, so a broken policy cannot send traffic
/// anywhere. The end-to-end checks, against a receiver on loopback only, are in <c>Reliability/EndpointPolicyTests</c>.
/// </summary>
public sealed class EndpointPolicyTests
{
    private static readonly EndpointPolicy Default = new(new HttpTargetOptions());

    [Theory]
    [InlineData("127.0.0.0", "loopback", "127.0.0.0/8")]
    [InlineData("127.0.0.1", "loopback", "127.0.0.0/8")]
    [InlineData("127.255.255.255", "loopback", "127.0.0.0/8")]
    [InlineData("::1", "loopback", "::1/128")]
    [InlineData("10.0.0.0", "private", "10.0.0.0/8")]
    [InlineData("10.255.255.255", "private", "10.0.0.0/8")]
    [InlineData("172.16.0.0", "private", "172.16.0.0/12")]
    [InlineData("172.31.255.255", "private", "172.16.0.0/12")]
    [InlineData("192.168.0.0", "private", "192.168.0.0/16")]
    [InlineData("192.168.255.255", "private", "192.168.0.0/16")]
    [InlineData("fc00::", "private", "fc00::/7")]
    [InlineData("fd12:3456::1", "private", "fc00::/7")]
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private", "fc00::/7")]
    [InlineData("169.254.0.0", "link-local", "169.254.0.0/16")]
    [InlineData("169.254.169.254", "link-local", "169.254.0.0/16")]
    [InlineData("169.254.255.255", "link-local", "169.254.0.0/16")]
    [InlineData("fe80::1", "link-local", "fe80::/10")]
    [InlineData("febf:ffff::1", "link-local", "fe80::/10")]
    [InlineData("100.64.0.0", "shared address space (CGNAT)", "100.64.0.0/10")]
    [InlineData("100.127.255.255", "shared address space (CGNAT)", "100.64.0.0/10")]
    [InlineData("0.0.0.0", "unspecified", "0.0.0.0/8")]
    [InlineData("0.255.255.255", "unspecified", "0.0.0.0/8")]
    [InlineData("::", "unspecified", "::/128")]
    [InlineData("224.0.0.0", "multicast", "224.0.0.0/4")]
    [InlineData("239.255.255.255", "multicast", "224.0.0.0/4")]
    [InlineData("ff02::1", "multicast", "ff00::/8")]
    [InlineData("::ffff:127.0.0.1", "loopback", "127.0.0.0/8")]
    [InlineData("::ffff:10.1.2.3", "private", "10.0.0.0/8")]
    [InlineData("::ffff:172.16.0.1", "private", "172.16.0.0/12")]
    [InlineData("::ffff:192.168.1.1", "private", "192.168.0.0/16")]
    [InlineData("::ffff:169.254.169.254", "link-local", "169.254.0.0/16")]
    [InlineData("::ffff:100.64.0.1", "shared address space (CGNAT)", "100.64.0.0/10")]
    [InlineData("::ffff:0.0.0.0", "unspecified", "0.0.0.0/8")]
    [InlineData("::ffff:224.0.0.1", "multicast", "224.0.0.0/4")]
    public void ThrowIfAddressDenied_ReservedAddressUnderTheDefaultPolicy_IsDeniedNamingItsNetwork(string address, string kind, string network)
    {
        var error = Assert.Throws<ActionExecException>(() => Default.ThrowIfAddressDenied(address, isLiteral: true, [IPAddress.Parse(address)], endpoint: null));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Contains($" is in the {kind} network {network}, which targets may not reach by default; ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("93.184.215.14")]
    [InlineData("::2")]
    [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fe00::")]
    [InlineData("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fec0::")]
    [InlineData("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:93.184.215.14")]
    [InlineData("::ffff:172.15.255.255")]
    public void ThrowIfAddressDenied_PublicAddressUnderTheDefaultPolicy_IsNotDenied(string address)
    {
        Assert.Null(Default.DenialOf(IPAddress.Parse(address)));
        Default.ThrowIfAddressDenied(address, isLiteral: true, [IPAddress.Parse(address)], endpoint: null);
    }

    [Fact]
    public void ThrowIfAddressDenied_LoopbackLiteral_SaysHowToAllowIt()
    {
        var error = Assert.Throws<ActionExecException>(() => Default.ThrowIfAddressDenied("127.0.0.1", isLiteral: true, [IPAddress.Loopback], new Uri("http://127.0.0.1:8080/hook?token=secret")));

        Assert.Equal(
            "endpoint http://127.0.0.1:8080/hook is denied: 127.0.0.1 is in the loopback network 127.0.0.0/8, which targets may not reach by default; call AllowLoopback() on the HTTP target options to allow it",
            error.Message);
    }

    [Fact]
    public void ThrowIfAddressDenied_NameResolvingToAPrivateAddress_NamesTheNameTheAddressAndHowToAllowIt()
    {
        var error = Assert.Throws<ActionExecException>(() => Default.ThrowIfAddressDenied(
            "intranet.example.com", isLiteral: false, [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("192.168.1.20")], new Uri("https://intranet.example.com/hook")));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Equal(
            "endpoint https://intranet.example.com/hook is denied: intranet.example.com resolves to 192.168.1.20, in the private network 192.168.0.0/16, which targets may not reach by default; call AllowPrivateNetworks() on the HTTP target options to allow it",
            error.Message);
    }

    [Fact]
    public void ThrowIfAddressDenied_LinkLocalMetadataAddress_SaysWhichNetworkToAllow()
    {
        var error = Assert.Throws<ActionExecException>(() => Default.ThrowIfAddressDenied("169.254.169.254", isLiteral: true, [IPAddress.Parse("169.254.169.254")], new Uri("http://169.254.169.254/latest/meta-data")));

        Assert.EndsWith("169.254.169.254 is in the link-local network 169.254.0.0/16, which targets may not reach by default; add \"169.254.0.0/16\" to the HTTP target options' AllowedNetworks to allow it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void ThrowIfAddressDenied_AllowLoopback_AllowsLoopbackInBothFamilies(string address)
    {
        var policy = new EndpointPolicy(new HttpTargetOptions().AllowLoopback());

        Assert.Null(policy.DenialOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    public void ThrowIfAddressDenied_AllowLoopback_KeepsEveryOtherReservedNetworkDenied(string address)
    {
        var policy = new EndpointPolicy(new HttpTargetOptions().AllowLoopback());

        Assert.NotNull(policy.DenialOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    public void ThrowIfAddressDenied_AllowPrivateNetworks_AllowsOnlyThePrivateNetworks(string address, bool allowed)
    {
        var policy = new EndpointPolicy(new HttpTargetOptions().AllowPrivateNetworks());

        Assert.Equal(allowed, policy.DenialOf(IPAddress.Parse(address)) is null);
    }

    [Fact]
    public void ThrowIfAddressDenied_OneAllowedAddressInAReservedNetwork_AllowsOnlyThatAddress()
    {
        var options = new HttpTargetOptions();
        options.AllowedNetworks.Add("169.254.170.2/32");
        var policy = new EndpointPolicy(options);

        Assert.Null(policy.DenialOf(IPAddress.Parse("169.254.170.2")));
        Assert.NotNull(policy.DenialOf(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void ThrowIfAddressDenied_DeniedNetworkInsideAnAllowedOne_IsStillDenied()
    {
        var options = new HttpTargetOptions().AllowPrivateNetworks();
        options.DeniedNetworks.Add("10.1.0.0/16");
        var policy = new EndpointPolicy(options);

        var error = Assert.Throws<ActionExecException>(() => policy.ThrowIfAddressDenied("10.1.2.3", isLiteral: true, [IPAddress.Parse("10.1.2.3")], endpoint: null));

        Assert.Equal("endpoint 10.1.2.3 is denied: 10.1.2.3 is in the denied network 10.1.0.0/16", error.Message);
        Assert.Null(policy.DenialOf(IPAddress.Parse("10.2.0.1")));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void ThrowIfAddressDenied_UnspecifiedAllowedWhileLoopbackIsNot_IsDeniedBecauseItReachesThisHost(string address)
    {
        var options = new HttpTargetOptions();
        options.AllowedNetworks.Add("0.0.0.0/8");
        options.AllowedNetworks.Add("::/128");
        var policy = new EndpointPolicy(options);

        var error = Assert.Throws<ActionExecException>(() => policy.ThrowIfAddressDenied(address, isLiteral: true, [IPAddress.Parse(address)], endpoint: null));

        Assert.Contains($"{address} stands for this host, and its loopback address is in the loopback network 127.0.0.0/8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfAddressDenied_UnspecifiedAndLoopbackBothAllowed_IsNotDenied()
    {
        var options = new HttpTargetOptions().AllowLoopback();
        options.AllowedNetworks.Add("0.0.0.0/8");
        options.AllowedNetworks.Add("::/128");
        var policy = new EndpointPolicy(options);

        policy.ThrowIfAddressDenied("0.0.0.0", isLiteral: true, [IPAddress.Any, IPAddress.IPv6Any], endpoint: null);
    }

    [Fact]
    public void AllowLoopback_CalledTwice_AddsEachNetworkOnce()
    {
        var options = new HttpTargetOptions().AllowLoopback().AllowLoopback().AllowPrivateNetworks();

        Assert.Equal(["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"], options.AllowedNetworks);
    }

    [Fact]
    public void DenialOf_AnyIPv4Address_DeniesExactlyTheReservedRangesInBothForms()
    {
        Gen.UInt.Sample(value =>
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            var address = new IPAddress(bytes);
            var expected = IsReservedIPv4(value);

            Assert.Equal(expected, Default.DenialOf(address) is not null);
            Assert.Equal(expected, Default.DenialOf(address.MapToIPv6()) is not null);
        });
    }

    [Fact]
    public void DenialOf_AnyIPv6AddressOutsideTheReservedRanges_IsNotDenied()
    {
        // Global unicast (2000::/3) holds no reserved range.
        Gen.Byte.Array[16].Sample(bytes =>
        {
            bytes[0] = (byte)(0x20 | (bytes[0] & 0x1F));
            Assert.Null(Default.DenialOf(new IPAddress(bytes)));
        });
    }

    /// <summary>The reserved IPv4 ranges, written as plain integer ranges: the reference the policy is checked against.</summary>
    private static bool IsReservedIPv4(uint a) =>
        a >> 24 == 127
        || a >> 24 == 10
        || (a >= 0xAC100000 && a <= 0xAC1FFFFF)
        || a >> 16 == 0xC0A8
        || a >> 16 == 0xA9FE
        || (a >= 0x64400000 && a <= 0x647FFFFF)
        || a >> 24 == 0
        || (a >= 0xE0000000 && a <= 0xEFFFFFFF);
}
