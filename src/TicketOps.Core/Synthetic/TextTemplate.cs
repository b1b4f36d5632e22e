using System.Text;
using Bogus;

namespace TicketOps.Core.Synthetic;

/// <summary>The per-case values a <see cref="TextTemplate"/> slot is filled with.</summary>
internal sealed class TemplateSlots
{
    public string Code { get; set; } = "";
    public string Version { get; set; } = "";
    public string Platform { get; set; } = "";
    public string Component { get; set; } = "";
    public string Number { get; set; } = "";
    public string Timestamp { get; set; } = "";
    public string Workspace { get; set; } = "";
}

/// <summary>
/// A catalog sentence parsed once into literals and slots, so that generating 100k cases is string
/// appends only: no regex or <c>string.Replace</c> per case.
/// </summary>
internal sealed class TextTemplate
{
    private enum Slot { None, Code, Version, Platform, Component, Number, Timestamp, Workspace, Product }

    private readonly (string Literal, Slot Slot)[] _parts;

    private TextTemplate((string, Slot)[] parts, bool hasCode)
    {
        _parts = parts;
        HasCode = hasCode;
    }

    /// <summary>The template quotes the case's error code itself.</summary>
    public bool HasCode { get; }

    public static TextTemplate Parse(string text)
    {
        var parts = new List<(string, Slot)>();
        int i = 0;
        while (i < text.Length)
        {
            int open = text.IndexOf('{', i);
            if (open < 0)
            {
                parts.Add((text[i..], Slot.None));
                break;
            }

            if (open > i)
            {
                parts.Add((text[i..open], Slot.None));
            }

            int close = text.IndexOf('}', open);
            string name = close < 0 ? "" : text[(open + 1)..close];
            Slot slot = name switch
            {
                "code" => Slot.Code,
                "version" => Slot.Version,
                "platform" => Slot.Platform,
                "component" => Slot.Component,
                "n" => Slot.Number,
                "ts" => Slot.Timestamp,
                "workspace" => Slot.Workspace,
                "product" => Slot.Product,
                _ => Slot.None,
            };
            if (slot == Slot.None)
            {
                // A brace that is not a slot is literal text (pasted JSON); a misspelt slot is a catalog bug.
                if (name.Length > 0 && name.All(char.IsAsciiLetterLower))
                {
                    throw new FormatException($"Unknown slot {{{name}}} in demo template \"{text}\".");
                }

                parts.Add(("{", Slot.None));
                i = open + 1;
                continue;
            }

            parts.Add(("", slot));
            i = close + 1;
        }

        var array = parts.ToArray();
        return new TextTemplate(array, Array.Exists(array, p => p.Item2 == Slot.Code));
    }

    public void Render(StringBuilder sb, TemplateSlots slots)
    {
        foreach (var (literal, slot) in _parts)
        {
            sb.Append(slot switch
            {
                Slot.None => literal,
                Slot.Code => slots.Code,
                Slot.Version => slots.Version,
                Slot.Platform => slots.Platform,
                Slot.Component => slots.Component,
                Slot.Number => slots.Number,
                Slot.Timestamp => slots.Timestamp,
                Slot.Workspace => slots.Workspace,
                _ => IssueFamilies.ProductName,
            });
        }
    }

    public string Render(TemplateSlots slots)
    {
        var sb = new StringBuilder();
        Render(sb, slots);
        return sb.ToString();
    }

    /// <summary>The same sentence as typed in a hurry: one or two letters swapped or dropped.</summary>
    public TextTemplate WithTypos(Randomizer random) => Map(literal => Typo(literal, random));

    /// <summary>The same sentence in chat style: lower case, contractions and abbreviations.</summary>
    public TextTemplate Informal() => Map(Informalize);

    private TextTemplate Map(Func<string, string> literal) =>
        new(Array.ConvertAll(_parts, p => p.Slot == Slot.None ? (literal(p.Literal), Slot.None) : p), HasCode);

    private static string Typo(string text, Randomizer random)
    {
        // One swapped letter pair inside a word, in longer stretches of text only: a typo in an error
        // code would make it a different code, and three typos a sentence read as a parody.
        if (text.Length < 20)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (int attempt = 0; attempt < 12; attempt++)
        {
            int at = random.Int(1, chars.Length - 3);
            if (IsWordInterior(chars, at) && IsWordInterior(chars, at + 1))
            {
                (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                break;
            }
        }

        return new string(chars);
    }

    private static bool IsWordInterior(char[] chars, int at) =>
        char.IsLower(chars[at]) && char.IsLower(chars[at - 1]) && at + 1 < chars.Length && char.IsLower(chars[at + 1]);

    private static string Informalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (string word in text.Split(' '))
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            // Error codes and identifiers keep their case; ordinary words go lower case.
            bool isCode = word.Any(c => char.IsDigit(c) || c == '_') || word.Count(char.IsUpper) > 1;
            string w = isCode ? word : word.ToLowerInvariant();
            sb.Append(w switch
            {
                "you" => "u",
                "please" => "pls",
                "i'm" => "im",
                "doesn't" => "doesnt",
                "don't" => "dont",
                "can't" => "cant",
                "isn't" => "isnt",
                "because" => "bc",
                "thanks" => "thx",
                _ => w,
            });
        }

        return sb.ToString();
    }
}
