using System.Text;
using ActionExec.AspNetCore.Tests.Support;
using static ActionExec.AspNetCore.Tests.Reliability.FuzzJson;

namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>
/// Makes the requests of the bad-input run from a fixed seed: valid bodies of each route, then mutated — properties deleted,
/// duplicated or renamed, values of another JSON type or of extreme size, deep nesting, truncation, random and invalid UTF-8
/// bytes, trailing garbage, wrong content types, empty bodies — plus bodies generated from nothing, bodies that stay valid, and
/// bad path and query values on the routes without a body. The same seed, tenant ids and receiver address give the same requests.
/// </summary>
internal sealed class BadInputGenerator
{
    public const string SetExecutionV2 = "PUT /v2beta/actions/executions";
    public const string SetExecutionV3 = "PUT /v3alpha/executions";
    public const string CreateTarget = "POST /v2beta/actions/targets";
    public const string UpdateTarget = "PATCH /v2beta/actions/targets/{id}";
    public const string ConsoleByTargetId = "POST /backend/action/execute/{target id}";
    public const string ConsoleByTargetName = "POST /backend/action/execute/{target name}";
    public const string ConsoleByExecutionId = "POST /backend/action/execute/{execution id}";
    public const string ConsoleByUnknownId = "POST /backend/action/execute/{unknown id}";
    public const string Explain = "GET /v2beta/actions/executions/match";
    public const string GetTarget = "GET /v2beta/actions/targets/{id}";
    public const string DeleteTarget = "DELETE /v2beta/actions/targets/{id}";
    public const string RotateKey = "POST /v2beta/actions/targets/{id}/signing-key";
    public const string Lists = "GET /v2beta/actions/targets, /executions";
    public const string ListDeliveries = "GET /v2/actions/deliveries";
    public const string DeliveryById = "GET /v2/actions/deliveries/{id}, POST …/{id}/replay";
    public const string ReplayDeadLetters = "POST /v2/actions/deliveries/replay";

    /// <summary>The largest body the API reads by default, plus one: answered 413.</summary>
    public const int OversizedBytes = (int)ActionExecutionsApiOptions.DefaultMaxRequestBodyBytes + 1;

    private static readonly string[] Keys =
    [
        "condition", "targets", "target", "include", "request", "response", "function", "event", "method", "service", "all", "name",
        "group", "endpoint", "timeout", "restWebhook", "restCall", "restAsync", "interruptOnError", "payloadType", "signatureScheme",
        "uriFragments", "parameters", "headers", "body", "id", "details",
    ];

    private static readonly string[] ExtremeStrings =
    [
        "", " ", "\t", new('a', 1000), new('a', 1001), new('a', 2048), new('a', 2049), new('x', 10_000), "\0", "a\u0001b", "line\nbreak",
        "\u007F", "ü日本🎉", "\uD800", "\uDC00x", "a\uD800", "\u202Eevil", "\uFEFF", "\u00A0", "1e9s", "-5s", "10", "0s", "-0s", "0.000000001s",
        "270.000000001s", "271s", "9999999999999999999s", "315576000001s", "1e3s", "NaNs", "Infinitys", "1.1234567891s", "10S", " 10s",
        "10s ", "1.s", ".5s", "+5s", "0x10s", "http://127.0.0.1:1/x", "https://", "http://", "ftp://example.com/x", "javascript:alert(1)",
        "file:///etc/passwd", "//example.com/x", "http://exa mple.com/", "http://[::1/x", "http://" + new string('h', 2049), "/pkg.v1.Service/Method",
        "pkg.v1.Service", "/pkg.v1.Service/", "//", "/a/b/c", "user.human.*", "user..human", ".user", "user.*.*", "*",
        "request/pkg.v1.Service/Method", "event", "GET", "get", "TRACE", "a=b&c", "%zz=1", "%FF=1", "=x", "a&&b", "&", "a=1&",
        "X-Bad Name=1", "A=%0D%0A", "A=%00", "%C0%80=x", "%ED%A0%80=x", "PAYLOAD_TYPE_JWT", "standard_webhooks", "ZITADEL", "null", "true",
        "{}", "[]", "'; DROP TABLE targets;--", "${jndi:ldap://x}", "<script>alert(1)</script>", "../../etc/passwd", "%s%s%s%n",
    ];

    private static readonly string[] ExtremeTokens =
    [
        "0", "-1", "1e999", "-1e999", "1E400", "18446744073709551615", "18446744073709551616", "-9223372036854775809", "0.5", "-0",
        "1e-400", "123456789012345678901234567890", "NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.", "0x10", "1e", "--1",
        "true", "false", "null", "tru", "nul", "True", "NULL", "undefined", "'single'", "\"\\uD800\"", "\"\\uDC00\\uD800\"",
        "\"\\u0000\"", "\"\\x41\"", "\"\\uZZZZ\"", "\"\\u12\"", "\"unterminated", "\"tab\there\"", "\"\\\"", "{", "[", "}", "]", ",",
        ":", "{,}", "[,]", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{1:2}", "{'a':1}",
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded", "application/jsonx", "application/json-patch+json",
        "application/problem+json", "multipart/form-data; boundary=x", "application/*", "*/*", "json", "a/b/c", ";;", "application/",
        "application/json\u0000", "text/html; charset=utf-8",
    ];

    private static readonly string[] ValidContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=UTF-8", "application/json; foo=bar",
    ];

    private static readonly string[] OddIds =
    [
        " ", "a b", "a\tb", "\0", "\u0001", "a/b", "a\\b", "a?b", "a#b", "a;b", "a%b", "a+b", "a&b", "a=b", "ü", "日本", "🎉", "\u202E",
        "'; DROP TABLE targets;--", "<script>", "${jndi:ldap://x}", "../../etc/passwd", new('i', 200), new('i', 201), new('i', 2049),
        new('i', 4000), FuzzTenant.MethodExecution, "request", "null", "undefined", "0", "-1", "*", "%", "%zz", "{id}",
    ];

    private static readonly string[] RawIdSegments =
    [
        "%FF", "%C0%80", "%ED%A0%80", "%00", "%0A", "%0D%0A", "%2F", "a%2Fb", "..%2F..%2Fetc", "%25", "%u0041", "%", "%zz",
        "%E6%97%A5", "%F0%9F%8E%89", "%F4%90%80%80",
    ];

    private static readonly string[] Kinds = ["request", "response", "function", "event"];

    private static readonly string[] BadKinds =
        ["REQUEST", "Request", "requests", "all", "event ", " event", "%00", "%FF", "%ED%A0%80", "%E6%97%A5", new('k', 1001), "request%26kind%3Devent", "3"];

    private static readonly string[] QueryValues =
    [
        "%2Fpkg.v1.Service%2FMethod", "pkg.v1.Service%2FMethod", "pkg.v1.Service", "user.human.added", "preuserinfo", "%20", "%00", "%0A",
        "a%20b", new('a', 1000), new('a', 1001), new('a', 4000), "%2F%2F", "%2Fa%2Fb%2Fc", "user..human", "*", "user.human.*", "%FF", "%ED%A0%80",
        "%F0%9F%8E%89", "%C0%80", "%zz", "%",
    ];

    private readonly Random _random;
    private readonly string _receiver;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">The seed; the same seed gives the same requests.</param>
    /// <param name="receiver">The base address of the loopback receiver, such as <c>http://127.0.0.1:40123/</c>, for endpoints.</param>
    public BadInputGenerator(int seed, string receiver)
    {
        _random = new Random(seed);
        _receiver = receiver;
    }

    /// <summary>A request to a route that takes a JSON body, meant valid or not.</summary>
    public FuzzRequest NextBodyRequest(FuzzTenant tenant)
    {
        var (route, path, template) = _random.Next(5) switch
        {
            0 => (SetExecutionV2, "/v2beta/actions/executions", (Func<FuzzJson>)(() => ValidSetExecution(tenant))),
            1 => (SetExecutionV3, "/v3alpha/executions", () => ValidSetExecution(tenant)),
            2 => (CreateTarget, "/v2beta/actions/targets", ValidCreateTarget),
            3 => (UpdateTarget, "/v2beta/actions/targets/" + Pick(tenant.TargetIds), (Func<FuzzJson>)ValidUpdateTarget),
            _ => ConsoleRoute(tenant),
        };
        var method = route is SetExecutionV2 or SetExecutionV3 ? HttpMethod.Put
            : string.Equals(route, UpdateTarget, StringComparison.Ordinal) ? HttpMethod.Patch
            : HttpMethod.Post;
        var readOnly = route.StartsWith("POST /backend/", StringComparison.Ordinal);
        var roll = _random.Next(100);
        if (roll < 15)
        {
            // A valid body, sent in one of the valid ways: it must be accepted, unless the action does not exist.
            var (valid, contentType, chunked, how) = ValidEnvelope(Encoding.UTF8.GetBytes(template().Write()));
            return new(route, method, path, valid, contentType, chunked, TestAuthenticationHandler.Admin, "valid" + how, !string.Equals(route, ConsoleByUnknownId, StringComparison.Ordinal), readOnly);
        }

        var mutations = new List<string>();
        FuzzJson tree;
        if (roll < 25)
        {
            tree = RandomTree(0);
            mutations.Add("generated");
        }
        else
        {
            tree = template();
            var count = 1 + _random.Next(3);
            for (var i = 0; i < count; i++)
            {
                tree = MutateTree(tree, mutations);
            }
        }

        var bytes = Encoding.UTF8.GetBytes(tree.Write());
        if (_random.Next(100) < 35)
        {
            bytes = MutateBytes(bytes, mutations);
        }

        byte[]? body = bytes;

        string? type = ApiHost.Json;
        var isChunked = false;
        var key = TestAuthenticationHandler.Admin;
        if (_random.Next(100) < 12)
        {
            (body, type, isChunked, key) = MutateTransport(bytes, mutations);
        }

        return new(route, method, path, body, type, isChunked, key, string.Join(", ", mutations), MeantValid: false, readOnly);
    }

    /// <summary>A request to a route without a body, with bad path or query values (and some good ones).</summary>
    public FuzzRequest NextRouteRequest(FuzzTenant tenant, string otherTenantsTargetId)
    {
        var admin = TestAuthenticationHandler.Admin;
        switch (_random.Next(10))
        {
            case 7:
                var (deliveryQuery, validQuery) = DeliveryQuery(tenant);
                return new(ListDeliveries, HttpMethod.Get, "/v2/actions/deliveries" + deliveryQuery, null, null, false, admin, "query " + Shorten(deliveryQuery), validQuery, ReadOnly: true);
            case 8:
                var (deliveryPath, deliveryHow) = TargetPath(tenant, otherTenantsTargetId, "");
                deliveryPath = deliveryPath.Replace("/v2beta/actions/targets/", "/v2/actions/deliveries/", StringComparison.Ordinal);
                return _random.Next(2) == 0
                    ? new(DeliveryById, HttpMethod.Get, deliveryPath, null, null, false, admin, deliveryHow, MeantValid: false, ReadOnly: true)
                    : new(DeliveryById, HttpMethod.Post, deliveryPath + "/replay", null, null, false, admin, deliveryHow + ", replay", MeantValid: false, ReadOnly: true);
            case 9:
                var (replay, validReplay) = Pick<(string, bool)>(
                [
                    ("""{"since":"2024-12-18T07:50:47.492Z"}""", true),
                    ($$"""{"since":"2024-12-18T07:50:47+01:00","targetId":"{{tenant.HookId}}"}""", true),
                    ("{}", false), ("""{"since":null}""", false), ("""{"since":"yesterday"}""", false), ("""{"since":1}""", false),
                    ("""{"since":"2024-12-18T07:50:47Z","targetId":""}""", false), ("""{"since":"2024-12-18T07:50:47Z","targetId":5}""", false),
                    ("""{"since":"2024-12-18T07:50:47Z","target":"t1"}""", false), ("[]", false), ("{", false), ("", false),
                    ("""{"since":"\uD800"}""", false), ("""{"since":"9999-12-31T23:59:59.999999999+00:00"}""", true),
                ]);

                // A replay changes the delivery queue, never the stored targets and executions.
                return new(ReplayDeadLetters, HttpMethod.Post, "/v2/actions/deliveries/replay", Encoding.UTF8.GetBytes(replay), ApiHost.Json, false, admin, "body " + Shorten(replay), validReplay, ReadOnly: true);
            case 0:
            case 1:
                var (query, how) = ExplainQuery();
                return new(Explain, HttpMethod.Get, "/v2beta/actions/executions/match" + query, null, null, false, admin, how, MeantValid: false, ReadOnly: true);
            case 2:
                var (getPath, getHow) = TargetPath(tenant, otherTenantsTargetId, "");
                return new(GetTarget, HttpMethod.Get, getPath, null, null, false, admin, getHow, MeantValid: false, ReadOnly: true);
            case 3:
                var (deletePath, deleteHow) = TargetPath(tenant, otherTenantsTargetId, "");
                return new(DeleteTarget, HttpMethod.Delete, deletePath, null, null, false, admin, deleteHow, MeantValid: false, ReadOnly: false);
            case 4:
                var (rotatePath, rotateHow) = TargetPath(tenant, otherTenantsTargetId, "/signing-key");
                return new(RotateKey, HttpMethod.Post, rotatePath, null, null, false, admin, rotateHow, MeantValid: false, ReadOnly: false);
            case 5:
                var (patchPath, patchHow) = TargetPath(tenant, otherTenantsTargetId, "");
                var patch = Encoding.UTF8.GetBytes(ValidUpdateTarget().Write());
                return new(UpdateTarget, HttpMethod.Patch, patchPath, patch, ApiHost.Json, false, admin, patchHow + ", valid body", MeantValid: false, ReadOnly: false);
            default:
                var list = _random.Next(2) == 0 ? "/v2beta/actions/targets" : "/v2beta/actions/executions";
                var junk = Pick(["", "?page=-1", "?limit=1e999&offset=%FF", "?query=%00&sortingColumn=%ED%A0%80", "?a=1&a=2&a", "?" + new string('q', 4000)]);
                return new(Lists, HttpMethod.Get, list + junk, null, null, false, admin, "query " + Shorten(junk), MeantValid: true, ReadOnly: true);
        }
    }

    private (string Route, string Path, Func<FuzzJson> Template) ConsoleRoute(FuzzTenant tenant)
    {
        var (route, id) = _random.Next(4) switch
        {
            0 => (ConsoleByTargetId, tenant.HookId),
            1 => (ConsoleByTargetName, FuzzTenant.CallName),
            2 => (ConsoleByExecutionId, _random.Next(2) == 0 ? FuzzTenant.MethodExecution : FuzzTenant.GroupExecution),
            _ => (ConsoleByUnknownId, Pick(["nothing-here", "request/pkg.v1.Service/Unknown", "event/user", "00000000000000000000000000000000"])),
        };
        return (route, "/backend/action/execute/" + Uri.EscapeDataString(id), ValidConsoleRequest);
    }

    // ---- Valid bodies -------------------------------------------------------------------------------------------------

    private FuzzJson ValidSetExecution(FuzzTenant tenant)
    {
        var preuserinfo = O(("function", O(("name", S("preuserinfo")))));
        FuzzJson[] conditions =
        [
            O(("request", O(("method", S(FuzzTenant.Method))))),
            O(("request", O(("method", S("pkg.v1.Service/Other"))))),
            O(("request", O(("service", S("pkg.v1.Service"))))),
            O(("request", O(("all", R("true"))))),
            O(("response", O(("method", S("/pkg.v1.Service/Method"))))),
            O(("response", O(("service", S("pkg.v2.Other"))))),
            O(("response", O(("all", R("true"))))),
            preuserinfo,
            O(("function", O(("name", S("postauthentication"))))),
            O(("event", O(("event", S("user.human.added"))))),
            O(("event", O(("group", S("user.human"))))),
            O(("event", O(("group", S("org.*"))))),
            O(("event", O(("all", R("true"))))),
        ];
        var choice = _random.Next(conditions.Length);
        var entries = new List<FuzzJson>();
        foreach (var id in Shuffle([.. tenant.TargetIds]).Take(_random.Next(4)))
        {
            entries.Add(_random.Next(5) < 2 ? S(id) : O(("target", S(id))));
        }

        // The function execution includes nothing, so including it from anywhere else keeps the graph acyclic and shallow.
        if (!ReferenceEquals(conditions[choice], preuserinfo) && _random.Next(10) < 3)
        {
            entries.Insert(_random.Next(entries.Count + 1), O(("include", O(("function", O(("name", S("preuserinfo"))))))));
        }

        var properties = new List<(string, FuzzJson)> { ("condition", conditions[choice]) };
        if (entries.Count > 0 || _random.Next(3) == 0)
        {
            properties.Add(("targets", new Arr(entries)));
        }
        else if (_random.Next(2) == 0)
        {
            properties.Add(("targets", R("null")));
        }

        return new Obj(Shuffle(properties));
    }

    private FuzzJson ValidCreateTarget()
    {
        var properties = new List<(string, FuzzJson)>
        {
            ("name", S(Pick(["fresh", "fresh-" + _random.Next(1000), "名前-ü🎉", new string('n', 1000), "with space"]))),
            ("endpoint", S(Pick([_receiver + "fresh", "https://example.com/hook", "http://localhost:8080/a?b=c", "https://example.com/" + new string('e', 2048 - 20)]))),
            ("timeout", S(Pick(["10s", "1.500s", "270s", "0.001s", "1.000000100s"]))),
        };
        properties.Add(ValidType());
        AddOptional(properties, "payloadType", "PAYLOAD_TYPE_JSON", "json");
        AddOptional(properties, "signatureScheme", "zitadel", "standard-webhooks");
        return new Obj(Shuffle(properties));
    }

    private FuzzJson ValidUpdateTarget()
    {
        var properties = new List<(string, FuzzJson)>();
        if (_random.Next(2) == 0)
        {
            properties.Add(("name", S("renamed-" + _random.Next(1000))));
        }

        if (_random.Next(2) == 0)
        {
            properties.Add(("endpoint", S(_receiver + "renamed")));
        }

        if (_random.Next(2) == 0)
        {
            properties.Add(("timeout", S(Pick(["5s", "0.250s", "270s"]))));
        }

        if (_random.Next(3) == 0)
        {
            properties.Add(ValidType());
        }

        AddOptional(properties, "payloadType", "PAYLOAD_TYPE_JSON", "json");
        AddOptional(properties, "signatureScheme", "zitadel", "standard-webhooks");
        return new Obj(Shuffle(properties));
    }

    private FuzzJson ValidConsoleRequest()
    {
        var properties = new List<(string, FuzzJson)> { ("method", S(Pick(["GET", "POST", "PUT", "PATCH", "DELETE"]))) };
        AddOptionalMap(properties, "uriFragments", "id=1", "a=b=c", "a=", "x=%C3%BC", "q=a+b&r=1");
        AddOptionalMap(properties, "parameters", "page=2&q=x", "q=a%20b", "a=1&a=2");
        AddOptionalMap(properties, "headers", "Content-Type=application/json", "X-Demo=yes&x-demo=no", "Accept=*/*");
        switch (_random.Next(6))
        {
            case 0:
                break;
            case 1:
                properties.Add(("body", R("null")));
                break;
            case 2:
                properties.Add(("body", O(("name", S("Ada")), ("tags", A(S("a"), R("1"), R("true"))))));
                break;
            case 3:
                properties.Add(("body", A(R("1"), R("2.5"), S("ü"))));
                break;
            case 4:
                properties.Add(("body", S("plain text")));
                break;
            default:
                properties.Add(("body", Nest(O(("leaf", R("42"))), 30, "level")));
                break;
        }

        return new Obj(Shuffle(properties));
    }

    private (string, FuzzJson) ValidType() => _random.Next(5) switch
    {
        0 => ("restWebhook", O(("interruptOnError", R(_random.Next(2) == 0 ? "true" : "false")))),
        1 => ("restWebhook", O()),
        2 => ("restCall", O(("interruptOnError", R(_random.Next(2) == 0 ? "true" : "false")))),
        3 => ("restCall", O()),
        _ => ("restAsync", O()),
    };

    private void AddOptional(List<(string, FuzzJson)> properties, string name, params string[] values)
    {
        var pick = _random.Next(values.Length + 1);
        if (pick < values.Length)
        {
            properties.Add((name, S(values[pick])));
        }
    }

    private void AddOptionalMap(List<(string, FuzzJson)> properties, string name, params string[] values)
    {
        switch (_random.Next(4))
        {
            case 0:
                break;
            case 1:
                properties.Add((name, _random.Next(2) == 0 ? R("null") : S("")));
                break;
            default:
                properties.Add((name, S(Pick(values))));
                break;
        }
    }

    /// <summary>A valid body in a valid wrapping: a byte order mark, whitespace, another JSON content type, chunked.</summary>
    private (byte[] Body, string ContentType, bool Chunked, string How) ValidEnvelope(byte[] body) => _random.Next(8) switch
    {
        0 => ([0xEF, 0xBB, 0xBF, .. body], ApiHost.Json, false, " with a byte order mark"),
        1 => ([.. " \r\n\t"u8, .. body, .. "\n  "u8], ApiHost.Json, false, " in whitespace"),
        2 => (body, Pick(ValidContentTypes), false, " with another JSON content type"),
        3 => (body, ApiHost.Json, true, " chunked"),
        _ => (body, ApiHost.Json, false, ""),
    };

    // ---- Tree mutations -----------------------------------------------------------------------------------------------

    private FuzzJson MutateTree(FuzzJson root, List<string> log)
    {
        var slots = new List<(FuzzJson Parent, int Index, string Path)>();
        Collect(root, "$", slots);
        var objects = slots.Where(s => s.Parent is Obj { Properties.Count: > 0 }).ToList();
        var kind = _random.Next(11);

        // A scalar root, or one time in twenty: the mutation replaces the whole body.
        if (slots.Count == 0 || _random.Next(20) == 0)
        {
            var replaced = kind switch
            {
                < 4 => OtherType(root),
                < 6 => Extreme(root),
                < 8 => Nest(root, Pick([64, 65, 200, 1000]), Pick(Keys)),
                _ => RandomTree(0),
            };
            log.Add("root → " + Describe(replaced));
            return replaced;
        }

        var (parent, index, path) = slots[_random.Next(slots.Count)];
        var current = Get(parent, index);
        switch (kind)
        {
            case 0 when objects.Count > 0:
            {
                var (o, i, p) = objects[_random.Next(objects.Count)];
                ((Obj)o).Properties.RemoveAt(i);
                log.Add("delete " + p);
                break;
            }

            case 1 when objects.Count > 0:
            {
                var (o, i, p) = objects[_random.Next(objects.Count)];
                var properties = ((Obj)o).Properties;
                var copy = _random.Next(2) == 0 ? properties[i].Value.Clone() : Extreme(properties[i].Value);
                properties.Insert(_random.Next(properties.Count + 1), (properties[i].Name, copy));
                log.Add("duplicate " + p);
                break;
            }

            case 2 when objects.Count > 0:
            {
                var (o, i, p) = objects[_random.Next(objects.Count)];
                var properties = ((Obj)o).Properties;
                var name = properties[i].Name;
                var renamed = Pick(
                [
                    "extra", char.ToUpperInvariant(name[0]) + name[1..], name.ToUpperInvariant(), "", name + " ", " " + name, name + "s", new string('n', 1001),
                    "名前", "\0", "\uD800", name + "\u0000", Pick(Keys), "__proto__", "$type", "@type", "constructor",
                ]);
                properties[i] = (renamed, properties[i].Value);
                log.Add($"rename {p} → '{Shorten(renamed)}'");
                break;
            }

            case 3:
            case 4:
                Set(parent, index, OtherType(current));
                log.Add($"retype {path} → {Describe(Get(parent, index))}");
                break;
            case 5:
            case 6:
                Set(parent, index, Extreme(current));
                log.Add($"extreme {path} → {Describe(Get(parent, index))}");
                break;
            case 7:
                var depth = Pick([64, 65, 200, 1000]);
                Set(parent, index, Nest(current, depth, Pick(Keys)));
                log.Add($"nest {path} {depth} deep");
                break;
            case 8:
                var arrays = new List<Arr>();
                CollectArrays(root, arrays);
                if (arrays.Count == 0)
                {
                    goto default;
                }

                MutateArray(arrays[_random.Next(arrays.Count)], log);
                break;
            case 9:
                Set(parent, index, _random.Next(2) == 0 ? A(current) : O(("value", current)));
                log.Add("wrap " + path);
                break;
            default:
                var target = objects.Count > 0 && _random.Next(2) == 0 ? (Obj)objects[_random.Next(objects.Count)].Parent : root as Obj;
                if (target is null)
                {
                    Set(parent, index, OtherType(current));
                    log.Add("retype " + path);
                    break;
                }

                var added = Pick([.. Keys, "unknown", "extra"]);
                target.Properties.Insert(_random.Next(target.Properties.Count + 1), (added, RandomTree(2)));
                log.Add($"add '{added}'");
                break;
        }

        return root;
    }

    private void MutateArray(Arr array, List<string> log)
    {
        var items = array.Items;
        switch (_random.Next(6))
        {
            case 0 when items.Count > 0:
                items.Insert(_random.Next(items.Count + 1), items[_random.Next(items.Count)].Clone());
                log.Add("array: duplicate an item");
                break;
            case 1 when items.Count > 0:
                items.RemoveAt(_random.Next(items.Count));
                log.Add("array: remove an item");
                break;
            case 2:
                items.Insert(_random.Next(items.Count + 1), R("null"));
                log.Add("array: insert null");
                break;
            case 3:
                var item = items.Count > 0 ? items[0] : S("x");
                var count = Pick([100, 1000, 10_000]);
                for (var i = 0; i < count; i++)
                {
                    items.Add(item.Clone());
                }

                log.Add($"array: {count} more items");
                break;
            case 4:
                items.Clear();
                log.Add("array: empty");
                break;
            default:
                items.Insert(_random.Next(items.Count + 1), RandomTree(2));
                log.Add("array: insert a random value");
                break;
        }
    }

    private FuzzJson OtherType(FuzzJson value)
    {
        var text = value is Str s ? s.Value : value is Raw r ? r.Token : "x";
        FuzzJson[] options =
        [
            S(text), S("text"), R("42"), R("-7.5"), R("true"), R("false"), R("null"), A(), A(value.Clone()), O(), O(("value", value.Clone())),
        ];
        FuzzJson other;
        do
        {
            other = Pick(options);
        }
        while (other.GetType() == value.GetType() && other is not Raw);
        return other;
    }

    private FuzzJson Extreme(FuzzJson value) =>
        value is Str || _random.Next(2) == 0 ? S(Pick(ExtremeStrings)) : R(Pick(ExtremeTokens));

    private static FuzzJson Nest(FuzzJson leaf, int depth, string key)
    {
        // Written inside out, so that deep nesting costs no recursion here.
        var node = leaf;
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? O((key, node)) : A(node);
        }

        return node;
    }

    private FuzzJson RandomTree(int depth)
    {
        var roll = depth == 0 ? _random.Next(10) : _random.Next(depth > 3 ? 4 : 10) + (depth > 3 ? 6 : 0);
        switch (roll)
        {
            case < 4:
            {
                var count = _random.Next(5);
                var properties = new List<(string, FuzzJson)>(count);
                for (var i = 0; i < count; i++)
                {
                    properties.Add((Pick(Keys), RandomTree(depth + 1)));
                }

                return new Obj(properties);
            }

            case < 6:
            {
                var count = _random.Next(4);
                var items = new List<FuzzJson>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(RandomTree(depth + 1));
                }

                return new Arr(items);
            }

            case < 8:
                return S(_random.Next(3) == 0 ? Pick(ExtremeStrings) : Pick([.. Keys, FuzzTenant.Method, "user.human", "10s", "GET", _receiver + "x"]));
            default:
                return R(Pick(ExtremeTokens));
        }
    }

    // ---- Byte and transport mutations ---------------------------------------------------------------------------------

    private byte[] MutateBytes(byte[] body, List<string> log)
    {
        switch (_random.Next(12))
        {
            case 0:
            case 1:
                var cut = body.Length == 0 ? 0 : _random.Next(body.Length);
                log.Add($"truncate at {cut} of {body.Length}");
                return body[..cut];
            case 2:
            {
                var copy = (byte[])body.Clone();
                var flips = 1 + _random.Next(8);
                for (var i = 0; i < flips && copy.Length > 0; i++)
                {
                    copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                }

                log.Add($"{flips} random bytes replaced");
                return copy;
            }

            case 3:
            {
                var garbage = RandomBytes(1 + _random.Next(16));
                var at = _random.Next(body.Length + 1);
                log.Add($"{garbage.Length} random bytes inserted at {at}");
                return [.. body.AsSpan(0, at), .. garbage, .. body.AsSpan(at)];
            }

            case 4:
                log.Add("random bytes only");
                return RandomBytes(1 + _random.Next(256));
            case 5:
            {
                // Invalid UTF-8 inside a string, where only a full decode would notice.
                byte[] invalid = Pick<byte[]>([[0xFF], [0xC0, 0x80], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80]]);
                var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == (byte)'"').ToList();
                var at = quotes.Count == 0 ? _random.Next(body.Length + 1) : quotes[_random.Next(quotes.Count)] + 1;
                log.Add($"invalid UTF-8 {Convert.ToHexString(invalid)} at {at}");
                return [.. body.AsSpan(0, Math.Min(at, body.Length)), .. invalid, .. body.AsSpan(Math.Min(at, body.Length))];
            }

            case 6:
            case 7:
            {
                var tail = Pick(["x", "}", "]", "{}", ",", " null", "\0", "\u00A0", "//comment", "/*c*/", "\"", "{\"a\":1}", "\r\n\r\nGET / HTTP/1.1\r\n"]);
                log.Add($"trailing '{Shorten(tail)}'");
                return [.. body, .. Encoding.UTF8.GetBytes(tail)];
            }

            case 8:
            {
                var head = Pick(["x", ",", "\u00A0", "//c\n", "\uFEFF\uFEFF", "\0", ")]}'\n"]);
                log.Add($"leading '{Shorten(head)}'");
                return [.. Encoding.UTF8.GetBytes(head), .. body];
            }

            case 9:
            {
                var whole = Pick(["null", "[]", "\"text\"", "123", "true", "{}", "", " \r\n ", "[{}]", "{\"\":null}", "\"\\uD800\""]);
                log.Add($"body '{whole}'");
                return Encoding.UTF8.GetBytes(whole);
            }

            case 10:
                log.Add("encoded as UTF-16");
                return Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(body));
            default:
                log.Add("encoded as Latin-1");
                return Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(body));
        }
    }

    private (byte[]? Body, string? ContentType, bool Chunked, string? Key) MutateTransport(byte[] body, List<string> log)
    {
        switch (_random.Next(20))
        {
            case < 8:
                var type = Pick(WrongContentTypes);
                log.Add($"content type '{Shorten(type)}'");
                return (body, type, false, TestAuthenticationHandler.Admin);
            case < 10:
                log.Add("no content type");
                return (body, null, false, TestAuthenticationHandler.Admin);
            case < 12:
                log.Add("empty body");
                return ([], ApiHost.Json, false, TestAuthenticationHandler.Admin);
            case < 13:
                log.Add("no body");
                return (null, null, false, TestAuthenticationHandler.Admin);
            case < 15:
                log.Add("chunked");
                return (body, ApiHost.Json, true, TestAuthenticationHandler.Admin);
            case < 16:
            {
                // A JSON string that passes the limit by one byte.
                var big = new byte[OversizedBytes];
                big.AsSpan().Fill((byte)'a');
                big[0] = (byte)'"';
                big[^1] = (byte)'"';
                var chunked = _random.Next(2) == 0;
                log.Add("oversized" + (chunked ? ", chunked" : ""));
                return (big, ApiHost.Json, chunked, TestAuthenticationHandler.Admin);
            }

            case < 17:
                log.Add("no credentials");
                return (body, ApiHost.Json, false, null);
            case < 18:
                log.Add("unknown credentials");
                return (body, ApiHost.Json, false, "stranger");
            case < 19:
                log.Add("reader credentials");
                return (body, ApiHost.Json, false, TestAuthenticationHandler.Reader);
            default:
                log.Add("no permission");
                return (body, ApiHost.Json, false, TestAuthenticationHandler.Nobody);
        }
    }

    // ---- Paths and queries --------------------------------------------------------------------------------------------

    private (string Path, string How) TargetPath(FuzzTenant tenant, string otherTenantsTargetId, string suffix)
    {
        string segment;
        string how;
        switch (_random.Next(10))
        {
            case 0:
                segment = tenant.TargetIds[_random.Next(3)];
                how = "an existing target";
                break;
            case 1:
                segment = otherTenantsTargetId;
                how = "a target of another tenant";
                break;
            case 2:
                segment = Uri.EscapeDataString(tenant.HookId.ToUpperInvariant() + Pick(["", " ", "x", "\0"]));
                how = "a near miss of an existing id";
                break;
            case 3:
            case 4:
                segment = Pick(RawIdSegments);
                how = "raw segment " + segment;
                break;
            case 5:
                var random = RandomText(1 + _random.Next(40));
                segment = Uri.EscapeDataString(random);
                how = "random id " + Shorten(segment);
                break;
            default:
                var odd = Pick(OddIds);
                segment = Uri.EscapeDataString(odd);
                how = "odd id " + Shorten(segment);
                break;
        }

        return ("/v2beta/actions/targets/" + segment + suffix, how);
    }

    private (string Query, bool Valid) DeliveryQuery(FuzzTenant tenant) => Pick<(string, bool)>(
    [
        ("", true), ("?status=pending", true), ("?status=DELIVERY_STATUS_DEAD_LETTERED&limit=1000", true), ("?targetId=" + tenant.HookId, true),
        ("?from=2024-12-18T07:50:47Z&to=2024-12-18T09:50:47%2B01:00", true), ("?offset=5&limit=1", true), ("?from=2024-12-18T07:50:47+01:00", true),
        ("?status=nope", false), ("?status=", false), ("?limit=0", false), ("?limit=1001", false), ("?offset=-1", false),
        ("?limit=1e999&offset=%FF", false), ("?from=%ED%A0%80", false), ("?to=2024-12-18T07:50:60Z", false),
        ("?from=2024-12-19T00:00:00Z&to=2024-12-18T00:00:00Z", false), ("?a=1&a=2&a", false), ("?status=pending&status=pending", false),
        ("?" + new string('q', 4000), false), ("?targetId=%00", true), ("?targetId=", false), ("?limit=99999999999", false),
    ]);

    private (string Query, string How) ExplainQuery()
    {
        var kind = _random.Next(3) == 0 ? Pick(BadKinds) : Pick(Kinds);
        var value = Pick(QueryValues);
        var query = _random.Next(12) switch
        {
            0 => "",
            1 => "?kind=" + kind,
            2 => "?value=" + value,
            3 => $"?kind={kind}&kind={Pick(Kinds)}&value={value}",
            4 => $"?kind={kind}&value={value}&value={Pick(QueryValues)}",
            5 => $"?kind=&value={value}",
            6 => $"?kind={kind}&value=",
            7 => $"?kind={kind}&value={value}&extra=%FF",
            8 => $"?KIND={kind}&VALUE={value}",
            _ => $"?kind={kind}&value={value}",
        };
        return (query, "query " + Shorten(query));
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------------

    private static void Collect(FuzzJson node, string path, List<(FuzzJson Parent, int Index, string Path)> slots)
    {
        // Iterative: a body nested a thousand levels deep must not exhaust the stack of the test.
        var pending = new Stack<(FuzzJson Node, string Path)>();
        pending.Push((node, path));
        while (pending.Count > 0)
        {
            var (current, at) = pending.Pop();
            if (current is Obj o)
            {
                for (var i = 0; i < o.Properties.Count; i++)
                {
                    var child = at.Length > 200 ? at : $"{at}.{Shorten(o.Properties[i].Name)}";
                    slots.Add((o, i, child));
                    pending.Push((o.Properties[i].Value, child));
                }
            }
            else if (current is Arr a)
            {
                for (var i = 0; i < a.Items.Count; i++)
                {
                    var child = at.Length > 200 ? at : $"{at}[{i}]";
                    slots.Add((a, i, child));
                    pending.Push((a.Items[i], child));
                }
            }
        }
    }

    private static void CollectArrays(FuzzJson root, List<Arr> arrays)
    {
        var slots = new List<(FuzzJson Parent, int Index, string Path)>();
        Collect(root, "$", slots);
        arrays.AddRange(slots.Select(s => Get(s.Parent, s.Index)).OfType<Arr>());
        if (root is Arr top)
        {
            arrays.Add(top);
        }
    }

    private static FuzzJson Get(FuzzJson parent, int index) =>
        parent is Obj o ? o.Properties[index].Value : ((Arr)parent).Items[index];

    private static void Set(FuzzJson parent, int index, FuzzJson value)
    {
        if (parent is Obj o)
        {
            o.Properties[index] = (o.Properties[index].Name, value);
        }
        else
        {
            ((Arr)parent).Items[index] = value;
        }
    }

    private static string Describe(FuzzJson value)
    {
        var text = value.Write();
        return text.Length <= 60 ? text : $"{text[..40]}… ({text.Length} chars)";
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : $"{value[..40]}… ({value.Length} chars)";

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private List<T> Shuffle<T>(List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string RandomText(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(4) switch
            {
                0 => (char)_random.Next(0x20),
                1 => (char)_random.Next(0x20, 0x7F),
                2 => (char)_random.Next(0xA0, 0x3000),
                _ => (char)_random.Next(0x21, 0x7F),
            });
        }

        return text.ToString();
    }
}
