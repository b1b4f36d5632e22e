using Lucene.Net.Index;
using Lucene.Net.Search;

namespace TicketOps.Core.Matching;

/// <summary>
/// The postings of one Lucene segment's text fields, held in memory as plain arrays (document ids and term
/// frequencies per term) with each field's length norms. <see cref="Bm25Scorer"/> scores a ticket's terms
/// over these arrays term by term: Lucene's own disjunction scorer spent ~6 ms per search at 100k documents
/// decoding and merging ~100 posting lists, the same sums over arrays take ~1 ms (docs/matching.md, "Third
/// pass"). A segment never changes once written, so its copy is built once and kept for as long as the
/// segment lives; deletions come from the reader's live documents at search time.
/// </summary>
internal sealed class SegmentPostings
{
    /// <summary>Copies the postings of <paramref name="fields"/> from a segment.</summary>
    /// <param name="reader">The segment.</param>
    /// <param name="fields">The text fields, in the order <see cref="Field"/> indexes them.</param>
    public SegmentPostings(AtomicReader reader, IReadOnlyList<string> fields)
    {
        MaxDoc = reader.MaxDoc;
        _fields = [.. fields.Select(field => FieldPostings.Read(reader, field))];
    }

    private readonly FieldPostings[] _fields;

    /// <summary>Documents in the segment, deleted ones included (they keep their postings until a merge).</summary>
    public int MaxDoc { get; }

    /// <summary>The postings of the field at <paramref name="index"/> in the constructor's list.</summary>
    public FieldPostings Field(int index) => _fields[index];
}

/// <summary>One field's postings in one segment.</summary>
internal sealed class FieldPostings
{
    private readonly Dictionary<string, TermPostings> _terms;

    private FieldPostings(Dictionary<string, TermPostings> terms, byte[] norms, long sumTotalTermFreq)
    {
        _terms = terms;
        Norms = norms;
        SumTotalTermFreq = sumTotalTermFreq;
    }

    /// <summary>Each document's encoded field length (Lucene's BM25 norm byte); 0 where the field is empty.</summary>
    public byte[] Norms { get; }

    /// <summary>Term occurrences in this field over the segment's documents (for the average field length).</summary>
    public long SumTotalTermFreq { get; }

    /// <summary>The postings of <paramref name="term"/>, if the segment has it in this field.</summary>
    public bool TryGet(string term, out TermPostings postings) => _terms.TryGetValue(term, out postings);

    /// <summary>The documents of this segment that have <paramref name="term"/> in this field, deleted ones included.</summary>
    public int DocFreq(string term) => _terms.TryGetValue(term, out TermPostings postings) ? postings.Docs.Length : 0;

    internal static FieldPostings Read(AtomicReader reader, string field)
    {
        var terms = new Dictionary<string, TermPostings>(StringComparer.Ordinal);
        var norms = new byte[reader.MaxDoc];
        Terms? fieldTerms = reader.GetTerms(field);
        if (fieldTerms is null)
        {
            return new FieldPostings(terms, norms, 0);
        }

        TermsEnum termsEnum = fieldTerms.GetEnumerator();
        DocsEnum? docsEnum = null;
        while (termsEnum.MoveNext())
        {
            int docFreq = termsEnum.DocFreq;
            var docs = new int[docFreq];
            var freqs = new ushort[docFreq];

            // Deleted documents are kept: BM25's document frequency counts them until a merge, as Lucene's does.
            docsEnum = termsEnum.Docs(null, docsEnum, DocsFlags.FREQS);
            int count = 0;
            int doc;
            while ((doc = docsEnum.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                docs[count] = doc;

                // A term repeated more than 65,535 times in one field saturates: BM25's term-frequency factor is
                // flat long before that (tf / (tf + ~1.2)).
                freqs[count] = (ushort)Math.Min(docsEnum.Freq, ushort.MaxValue);
                count++;
            }

            terms[termsEnum.Term.Utf8ToString()] = new TermPostings(docs, freqs);
        }

        NumericDocValues? values = reader.GetNormValues(field);
        if (values is not null)
        {
            for (int doc = 0; doc < norms.Length; doc++)
            {
                norms[doc] = (byte)values.Get(doc);
            }
        }

        return new FieldPostings(terms, norms, fieldTerms.SumTotalTermFreq);
    }
}

/// <summary>The documents that have a term in a field, in increasing order, with the term's frequency in each.</summary>
/// <param name="Docs">Segment document numbers.</param>
/// <param name="Freqs">The term's frequency in each of <paramref name="Docs"/>.</param>
internal readonly record struct TermPostings(int[] Docs, ushort[] Freqs);
