package io.aidesk.gateway.decision.offline;

import java.util.List;

/** The evidence's features the offline confidence is computed from; each grows as the evidence gets better. */
public final class Features {
    /** cosine similarity of the question to the best passage */
    static final String PASSAGE_SIMILARITY = "passage_similarity";
    /** cosine similarity of the question to the chosen sentence (with its heading) */
    static final String SENTENCE_SIMILARITY = "sentence_similarity";
    /** rarity-weighted share of the question's words in the passage the answer comes from (title and headings too) */
    static final String PASSAGE_TERMS = "passage_terms";
    /** the same share in the chosen sentences and their heading */
    static final String SENTENCE_TERMS = "sentence_terms";
    /** how far the answer's passage leads the best passage of another page in the search's ranking */
    static final String RELEVANCE_MARGIN = "relevance_margin";
    /** both retrievers (vector and full-text) put the answer's passage in their top five: 1; one of them: 0.5 */
    static final String RETRIEVERS_AGREE = "retrievers_agree";
    /** 1 when the question asks for no particular value or the chosen sentence holds one (a number, a name, a setting) */
    static final String HOLDS_ASKED_VALUE = "holds_asked_value";
    /** share of the top three passages from the answer's page */
    static final String PAGE_AGREEMENT = "page_agreement";

    public static final List<String> NAMES = List.of(PASSAGE_SIMILARITY, SENTENCE_SIMILARITY, PASSAGE_TERMS, SENTENCE_TERMS,
            RELEVANCE_MARGIN, RETRIEVERS_AGREE, HOLDS_ASKED_VALUE, PAGE_AGREEMENT);

    private Features() {
    }
}
