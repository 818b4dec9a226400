using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Notebooks;

/// <summary>"Did you mean …?" for a near miss: the closest candidate by edit distance, if it is close.</summary>
internal static class Suggestions
{
    /// <summary>The candidate closest to <paramref name="word"/> if at most a third of its letters differ (at least 1, at most 3).</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        int allowed = Math.Clamp(word.Length / 3, 1, 3);
        return candidates.Select(c => (Candidate: c, Distance: Distance(word, c, ignoreCase: true)))
            .Where(x => x.Distance <= allowed && x.Candidate != word)
            .OrderBy(x => x.Distance).ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .Select(x => x.Candidate).FirstOrDefault();
    }

    /// <summary>" (did you mean X?)" or "".</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } c ? $" (did you mean {c}?)" : "";

    /// <summary>Levenshtein distance, with a swap of two neighbouring letters counted as one edit.</summary>
    public static int Distance(string a, string b, bool ignoreCase = false)
    {
        if (ignoreCase) (a, b) = (a.ToLowerInvariant(), b.ToLowerInvariant());
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
