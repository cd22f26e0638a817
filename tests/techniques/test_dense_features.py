import numpy as np

from newsift.techniques.encoder import load_token_encoder
from newsift.techniques.features import VECTOR_WIDTH, ArticleTokens, sentence_vectors
from newsift.techniques.model import DENSE_WIDTH, STATIC_WIDTH, span_vectors
from newsift.techniques.predict import parse
from newsift.techniques.wordpieces import LENGTH, PAD_ID, WIDTH, load_wordpieces, mean_embeddings

TEXT = "The corrupt elites betrayed us.\nThey will stop at nothing. Stop them now!"


def test_word_piece_vectors_follow_the_padded_mean():
    same, other = mean_embeddings(["Corrupt elites", "corrupt elites", ""]), mean_embeddings(["a cat"])
    assert same.shape == (3, WIDTH) and same.dtype == np.float32
    np.testing.assert_allclose(same[0], same[1])  # the tokenizer lower-cases
    assert not np.allclose(same[0], other[0])
    tokenizer, table = load_wordpieces()
    np.testing.assert_allclose(same[2], table[PAD_ID], rtol=1e-6)
    ids = tokenizer.encode("corrupt elites", add_special_tokens=False).ids
    n = sum(i != PAD_ID for i in ids)
    expected = (table[ids[:n]].sum(axis=0) + (LENGTH - n) * table[PAD_ID]) / LENGTH
    np.testing.assert_allclose(same[0], expected, rtol=1e-5, atol=1e-7)
    assert mean_embeddings([]).shape == (0, WIDTH)


def test_articles_carry_one_tok2vec_vector_per_token():
    art = ArticleTokens.of(parse(TEXT))
    assert art.vectors.shape == (len(art.tokens), VECTOR_WIDTH)
    assert np.abs(art.vectors).sum() > 0


def test_span_and_sentence_vectors_have_fixed_widths():
    art = ArticleTokens.of(parse(TEXT))
    encoding = load_token_encoder().encode(art)
    spans = [(4, 18), (4, 18), (TEXT.index("Stop"), len(TEXT) - 1)]
    vectors = span_vectors(art, spans, encoding)
    assert vectors.shape == (3, DENSE_WIDTH)
    np.testing.assert_allclose(vectors[0], vectors[1])
    np.testing.assert_allclose(vectors[:, STATIC_WIDTH:], encoding.span_means(spans))
    assert span_vectors(art, [], encoding).shape == (0, DENSE_WIDTH)
    assert sentence_vectors(art).shape == (len(art.sentences), WIDTH + VECTOR_WIDTH)


def test_empty_article_has_no_vectors():
    art = ArticleTokens.of(parse(""))
    encoding = load_token_encoder().encode(art)
    assert art.vectors.shape == (0, VECTOR_WIDTH) and encoding.hidden.shape[0] == 0
    assert span_vectors(art, [(0, 0)], encoding).shape == (1, DENSE_WIDTH)
