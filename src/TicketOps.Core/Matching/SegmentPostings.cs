using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

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

/// <summary>
/// BM25 over <see cref="SegmentPostings"/>: the scores Lucene's <c>BM25Similarity</c> gives a flat disjunction
/// of one boosted term query per term and field (no coord, no query norm), summed term by term into one
/// array per segment. The formula's parts come from Lucene's own similarity (<see cref="Bm25Parts"/>), and the
/// sums are kept in double precision as Lucene's disjunction scorer keeps them, so the scores are Lucene's to
/// the last bit (a test compares both on the same index).
/// </summary>
internal static class Bm25Scorer
{
    private static readonly Bm25Parts s_bm25 = new();

    /// <summary>A query term in one field: its postings per segment and its weight.</summary>
    private readonly record struct FieldTerm(int Field, float Boost, long DocFreq, string Term);

    /// <summary>The best <paramref name="count"/> documents (global document numbers), best first; ties go to the lower number, as in Lucene.</summary>
    /// <param name="reader">The index reader whose leaves are scored.</param>
    /// <param name="segments">The in-memory postings of each of the reader's leaves.</param>
    /// <param name="terms">The query terms with their counts (each count multiplies the term's boost).</param>
    /// <param name="fieldWeights">The weight of each field in <see cref="SegmentPostings"/> order; 0 skips the field.</param>
    /// <param name="filter">Documents allowed, or null for all live documents.</param>
    /// <param name="count">How many hits at most.</param>
    public static List<ScoreDoc> Top(
        IndexReader reader,
        IReadOnlyList<SegmentPostings> segments,
        IReadOnlyList<LexicalIndex.QueryTerm> terms,
        IReadOnlyList<float> fieldWeights,
        Filter? filter,
        int count)
    {
        // Collection statistics span every segment, as IndexSearcher's do: documents include deleted ones.
        long maxDoc = reader.MaxDoc;
        var queryTerms = new List<FieldTerm>(terms.Count * fieldWeights.Count);
        var lengthFactors = new float[fieldWeights.Count][];
        for (int field = 0; field < fieldWeights.Count; field++)
        {
            if (fieldWeights[field] <= 0)
            {
                continue;
            }

            long sumTotalTermFreq = segments.Sum(s => s.Field(field).SumTotalTermFreq);
            lengthFactors[field] = s_bm25.LengthFactors(sumTotalTermFreq, maxDoc);
            foreach (LexicalIndex.QueryTerm term in terms)
            {
                long docFreq = segments.Sum(s => (long)s.Field(field).DocFreq(term.Term));
                if (docFreq > 0)
                {
                    queryTerms.Add(new FieldTerm(field, fieldWeights[field] * term.Count, docFreq, term.Term));
                }
            }
        }

        var best = new PriorityQueue<int, (float Score, int NegativeDoc)>(count + 1);
        IList<AtomicReaderContext> leaves = reader.Leaves;
        for (int leaf = 0; leaf < leaves.Count; leaf++)
        {
            SegmentPostings segment = segments[leaf];
            double[] scores = System.Buffers.ArrayPool<double>.Shared.Rent(segment.MaxDoc);
            try
            {
                Array.Clear(scores, 0, segment.MaxDoc);
                foreach (FieldTerm term in queryTerms)
                {
                    FieldPostings field = segment.Field(term.Field);
                    if (field.TryGet(term.Term, out TermPostings postings))
                    {
                        Accumulate(scores, postings, field.Norms, lengthFactors[term.Field], s_bm25.TermWeight(term.Boost, term.DocFreq, maxDoc));
                    }
                }

                Collect(best, count, scores, leaves[leaf], filter);
            }
            finally
            {
                System.Buffers.ArrayPool<double>.Shared.Return(scores);
            }
        }

        var top = new List<ScoreDoc>(best.Count);
        while (best.TryDequeue(out int doc, out (float Score, int NegativeDoc) priority))
        {
            top.Add(new ScoreDoc(doc, priority.Score));
        }

        top.Reverse();
        return top;
    }

    private static void Accumulate(double[] scores, TermPostings postings, byte[] norms, float[] lengthFactors, float weight)
    {
        int[] docs = postings.Docs;
        ushort[] freqs = postings.Freqs;
        for (int i = 0; i < docs.Length; i++)
        {
            int doc = docs[i];
            float freq = freqs[i];
            scores[doc] += weight * freq / (freq + lengthFactors[norms[doc]]);
        }
    }

    private static void Collect(PriorityQueue<int, (float Score, int NegativeDoc)> best, int count, double[] scores, AtomicReaderContext leaf, Filter? filter)
    {
        IBits? live = leaf.AtomicReader.LiveDocs;
        FixedBitSet? allowed = null;
        if (filter is not null)
        {
            DocIdSet? set = filter.GetDocIdSet(leaf, live);
            DocIdSetIterator? iterator = set?.GetIterator();
            if (iterator is null)
            {
                return;
            }

            allowed = new FixedBitSet(leaf.AtomicReader.MaxDoc);
            allowed.Or(iterator);
        }

        float floor = best.Count == count && best.TryPeek(out _, out (float Score, int NegativeDoc) lowest) ? lowest.Score : 0f;
        int maxDoc = leaf.AtomicReader.MaxDoc;
        for (int doc = 0; doc < maxDoc; doc++)
        {
            float score = (float)scores[doc];
            if (score <= 0f || score < floor || (live is not null && !live.Get(doc)) || (allowed is not null && !allowed.Get(doc)))
            {
                continue;
            }

            // Equal scores keep the lower document number (Lucene's order): the queue's head is the lowest score
            // and, among equals, the highest number.
            (float, int) priority = (score, -(leaf.DocBase + doc));
            if (best.Count < count)
            {
                best.Enqueue(leaf.DocBase + doc, priority);
            }
            else if (best.TryPeek(out _, out (float Score, int NegativeDoc) head) && priority.CompareTo(head) > 0)
            {
                best.DequeueEnqueue(leaf.DocBase + doc, priority);
            }
            else
            {
                continue;
            }

            if (best.Count == count && best.TryPeek(out _, out (float Score, int NegativeDoc) newHead))
            {
                floor = newHead.Score;
            }
        }
    }

    /// <summary>Lucene's BM25 (k1 = 1.2, b = 0.75) with the parts of its formula exposed.</summary>
    private sealed class Bm25Parts : Lucene.Net.Search.Similarities.BM25Similarity
    {
        private readonly float[] _lengths = new float[256];

        public Bm25Parts()
        {
            for (int i = 0; i < _lengths.Length; i++)
            {
                _lengths[i] = DecodeNormValue((byte)i);
            }
        }

        /// <summary>A term's weight: idf × boost × (k1 + 1), multiplied in Lucene's order.</summary>
        public float TermWeight(float boost, long docFreq, long maxDoc) => Idf(docFreq, maxDoc) * boost * (K1 + 1);

        /// <summary>k1 × (1 − b + b × length / average length) for each norm byte, as Lucene caches it.</summary>
        public float[] LengthFactors(long sumTotalTermFreq, long maxDoc)
        {
            float average = sumTotalTermFreq <= 0 ? 1f : (float)(sumTotalTermFreq / (double)maxDoc);
            var factors = new float[256];
            for (int i = 0; i < factors.Length; i++)
            {
                factors[i] = K1 * (1 - B + (B * _lengths[i] / average));
            }

            return factors;
        }
    }
}
