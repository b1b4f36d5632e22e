using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace TicketOps.Core.Matching;

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

    /// <summary>
    /// The similarity the index must be written with: its norm bytes (encoded field lengths) are what
    /// <see cref="Top"/> decodes.
    /// </summary>
    public static Lucene.Net.Search.Similarities.Similarity Similarity => s_bm25;

    /// <summary>A query term in one field with its BM25 weight (idf × field weight × count × (k1 + 1)).</summary>
    private readonly record struct FieldTerm(int Field, string Term, float Weight);

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
                    queryTerms.Add(new FieldTerm(field, term.Term, s_bm25.TermWeight(fieldWeights[field] * term.Count, docFreq, maxDoc)));
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
                        Accumulate(scores, postings, field.Norms, lengthFactors[term.Field], term.Weight);
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

    /// <summary>
    /// Each term's part of one document's BM25 score (summed over the fields), computed exactly as
    /// <see cref="Top"/> scores: what a term contributes to the match, for the explanation. Terms the document
    /// lacks are left out.
    /// </summary>
    /// <param name="reader">The index reader.</param>
    /// <param name="segments">The in-memory postings of each of the reader's leaves.</param>
    /// <param name="terms">The terms with their counts in the ticket.</param>
    /// <param name="fieldWeights">The weight of each field in <see cref="SegmentPostings"/> order.</param>
    /// <param name="doc">The document (global number).</param>
    public static Dictionary<string, float> Contributions(
        IndexReader reader,
        IReadOnlyList<SegmentPostings> segments,
        IEnumerable<LexicalIndex.QueryTerm> terms,
        IReadOnlyList<float> fieldWeights,
        int doc)
    {
        long maxDoc = reader.MaxDoc;
        int leaf = ReaderUtil.SubIndex(doc, reader.Leaves);
        int local = doc - reader.Leaves[leaf].DocBase;
        SegmentPostings segment = segments[leaf];
        var contributions = new Dictionary<string, float>(StringComparer.Ordinal);
        for (int field = 0; field < fieldWeights.Count; field++)
        {
            if (fieldWeights[field] <= 0)
            {
                continue;
            }

            FieldPostings postings = segment.Field(field);
            float[] lengthFactors = s_bm25.LengthFactors(segments.Sum(s => s.Field(field).SumTotalTermFreq), maxDoc);
            foreach (LexicalIndex.QueryTerm term in terms)
            {
                if (!postings.TryGet(term.Term, out TermPostings termPostings))
                {
                    continue;
                }

                int at = Array.BinarySearch(termPostings.Docs, local);
                if (at < 0)
                {
                    continue;
                }

                long docFreq = segments.Sum(s => (long)s.Field(field).DocFreq(term.Term));
                float weight = s_bm25.TermWeight(fieldWeights[field] * term.Count, docFreq, maxDoc);
                float freq = termPostings.Freqs[at];
                contributions[term.Term] = contributions.GetValueOrDefault(term.Term) + (weight * freq / (freq + lengthFactors[postings.Norms[local]]));
            }
        }

        return contributions;
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
