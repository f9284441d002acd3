/* Compiled twins of build-path loops of unspun (issue 14). Each function gives exactly
 * what its pure-Python twin gives (tests/test_speedups.py compares them); the Python
 * code is used whenever this module is missing.
 *
 *   tokenize_bytes  unspun.fingerprint.bytetok.tokenize_sentences (after _encode)
 *   split_spans     one region of unspun.text.sentences.split_sentences
 *   hints_present   unspun.clean.rules._HintScan.present
 *   quote_groups    unspun.text.quotes.double_quote_groups (as flat spans)
 *   tokenize_parts  tokenize_bytes of unspun.fingerprint.bytetok._encode(parts)
 *   gram_pairs      the (document, key) pairs of unspun.fingerprint.batch_document_keys
 *   add_sentences   unspun.data.sentence_at for each span split_spans gave
 *   stored_sentences  unspun.text.sentences.stored_sentences (the spans an index stores)
 *   span_bytes      unspun.index.records.span_bytes (the spans an index stores, as bytes)
 *   StoredSentences   unspun.text.sentences.StoredSentences (the same, each made when read)
 *   split_lines     unspun.clean.lines.split_lines
 *   kernel_fill     the matrices of unspun.align.vectors.kernel (exact weights only)
 *   block_search    unspun.index.segments.Segment._search of a pread copy
 *   pread_runs      the pread loop of unspun.index.segments.Segment._copy_blocks
 *   copy_lookup     unspun.index.segments.Segment._lookup of a pread copy, all of it
 *   ascii_fold      unspun.judge.sources._ascii_fold
 *   ascii_screen    unspun.judge.sources._ascii_screen (a word looked for in many texts'
 *                   ASCII folds, none of them made)
 *   span_groups     the groups unspun.text.quotes.double_quote_groups makes of quote_groups'
 *   segment_tops    unspun.align.aligner._segment_tops (each segment's largest value, the
 *                   column of its first occurrence, and the largest of the other columns)
 *   weigh_bound     unspun.align.aligner._weigh in double, with bounds on its float32 error
 *   top_two         np.argsort(-seg)[:2] of unspun.align.aligner._merge, when no tie decides it
 *   doc_freq        the document frequencies of unspun.align.aligner._rarity, from entries
 *   best_table      the live pairs and their tests of unspun.align.aligner._all_best_matches
 *   union_sums      the sums of unspun.align.vectors.Kernel.union_containment (exact weights)
 *   edit_list       unspun.explain.edits._Builder.build (the Edit objects of an edit script)
 *   row_bytes       the bytes unspun.index.records.row_sum hashes (for rows of the usual types)
 *   encode_blocks   unspun.index.segments.encode (bit-packed postings blocks, their directory)
 *   decode_blocks   unspun.index.segments.Segment._gather of consecutive blocks
 *   merge_runs      unspun.index.merge._postings_in's sort of its segments' sorted runs
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <errno.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A str's characters, read by index. */
typedef struct {
    int kind;
    const void *data;
} Text;

#define AT(t, i) PyUnicode_READ((t).kind, (t).data, (i))

/* ------------------------------------------------------------------ tokenize_bytes */

enum { OTHER = 0, LETTER = 1, DIGIT = 2, JOINER = 3, NUMSEP = 4, NCLASS = 5 };
static unsigned char CLASS[256];
static unsigned char INSIDE[NCLASS * NCLASS * NCLASS];
static const uint64_t BASE = 0x9E3779B97F4A7C15ULL;
static const uint64_t FINAL = 0xD6E8FEB86659FD93ULL;

static void init_tables(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned char k = OTHER;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
            k = LETTER;
        else if (c >= '0' && c <= '9')
            k = DIGIT;
        else if (c == '\'' || c == '-')
            k = JOINER;
        else if (c == '.' || c == ',' || c == ':')
            k = NUMSEP;
        CLASS[c] = k;
    }
    for (int p = 0; p < NCLASS; p++)
        for (int n = 0; n < NCLASS; n++) {
            int alnum_p = p == LETTER || p == DIGIT, alnum_n = n == LETTER || n == DIGIT;
            INSIDE[(p * NCLASS + LETTER) * NCLASS + n] = 1;
            INSIDE[(p * NCLASS + DIGIT) * NCLASS + n] = 1;
            INSIDE[(p * NCLASS + JOINER) * NCLASS + n] = alnum_p && alnum_n;
            INSIDE[(p * NCLASS + NUMSEP) * NCLASS + n] = p == n && alnum_p;
        }
}

/* tokenize_bytes(raw) -> (hashes, sentence, first): bytearrays of uint64, int32 and uint8
 * (native order), one entry per token of the NUL-separated UTF-8 text ``raw``. Two passes:
 * whether each byte is inside a token (counting the tokens), then the hashes, written
 * straight into outputs of the right size. */
static PyObject *tokenize_core(const unsigned char *b, Py_ssize_t n)
{
    Py_ssize_t k = 0;
    PyObject *ho = NULL, *so = NULL, *fo = NULL, *result = NULL;
    unsigned char *in = PyMem_Malloc(n ? n : 1);
    if (!in) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        in[i] = CLASS[b[i]];
    /* Latin-1 and General Punctuation symbols (U+0080-U+00BF, U+2000-U+207F) separate. */
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        if (b[i] == 0xC2 && b[i + 1] < 0xC0)
            in[i] = in[i + 1] = OTHER;
        else if (b[i] == 0xE2 && i + 2 < n && (b[i + 1] & 0xFE) == 0x80)
            in[i] = in[i + 1] = in[i + 2] = OTHER;
    }
    /* Classes to inside flags, in place (the first and last bytes are never inside). */
    unsigned char prev = n ? in[0] : 0, was = 0;
    for (Py_ssize_t i = 1; i + 1 < n; i++) {
        unsigned char here = in[i];
        in[i] = INSIDE[(prev * NCLASS + here) * NCLASS + in[i + 1]];
        k += in[i] && !was;
        was = in[i];
        prev = here;
    }
    if (n)
        in[0] = 0;
    if (n > 1)
        in[n - 1] = 0;
    ho = PyByteArray_FromStringAndSize(NULL, k * sizeof(uint64_t));
    so = PyByteArray_FromStringAndSize(NULL, k * sizeof(int32_t));
    fo = PyByteArray_FromStringAndSize(NULL, k);
    if (!ho || !so || !fo)
        goto done;
    uint64_t *hashes = (uint64_t *)PyByteArray_AS_STRING(ho);
    int32_t *sentence = (int32_t *)PyByteArray_AS_STRING(so);
    unsigned char *first = (unsigned char *)PyByteArray_AS_STRING(fo);
    int32_t nuls = 0;
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!in[i]) {
            nuls += b[i] == 0;
            continue;
        }
        unsigned char c = b[i];
        sentence[j] = nuls - 1;
        first[j] = c >= 'A' && c <= 'Z' ? 1 : (c >= '0' && c <= '9' ? 2 : 0);
        uint64_t h = 0, power = 1;
        for (; in[i]; i++) {  /* in[n - 1] == 0 ends every token */
            c = b[i];
            if (c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            h += (uint64_t)c * power;
            power *= BASE;
        }
        h ^= h >> 29;
        h *= FINAL;
        hashes[j++] = h >> 32;
        nuls += b[i] == 0;  /* the byte that ended the token */
    }
    result = PyTuple_Pack(3, ho, so, fo);
done:
    Py_XDECREF(ho);
    Py_XDECREF(so);
    Py_XDECREF(fo);
    PyMem_Free(in);
    return result;
}

static PyObject *tokenize_bytes(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *result = tokenize_core(view.buf, view.len);
    PyBuffer_Release(&view);
    return result;
}

/* tokenize_parts(parts) -> tokenize_bytes(_encode(parts)), without making the joined str:
 * each part's UTF-8 after a NUL byte (and one at the end), its NUL characters made spaces,
 * curly apostrophes (U+2018, U+2019) straight, and lone surrogates "?" (the "replace" error
 * handler). */
static PyObject *tokenize_parts(PyObject *self, PyObject *arg)
{
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "parts must be a list");
        return NULL;
    }
    Py_ssize_t np = PyList_GET_SIZE(arg), size = np + 1;
    for (Py_ssize_t p = 0; p < np; p++) {
        PyObject *s = PyList_GET_ITEM(arg, p);
        if (!PyUnicode_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "parts must be str");
            return NULL;
        }
        int kind = PyUnicode_KIND(s);
        size += PyUnicode_GET_LENGTH(s) * (PyUnicode_IS_ASCII(s) ? 1 : kind == PyUnicode_1BYTE_KIND
                                           ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4);
    }
    unsigned char *buf = PyMem_Malloc(size), *w = buf;
    if (!buf)
        return PyErr_NoMemory();
    *w++ = 0;
    for (Py_ssize_t p = 0; p < np; p++) {
        PyObject *s = PyList_GET_ITEM(arg, p);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        if (PyUnicode_IS_ASCII(s)) {
            memcpy(w, PyUnicode_DATA(s), len);
            for (unsigned char *z = w; (z = memchr(z, 0, w + len - z)) != NULL; )
                *z++ = ' ';
            w += len;
        } else {
            Text t = {PyUnicode_KIND(s), PyUnicode_DATA(s)};
            for (Py_ssize_t i = 0; i < len; i++) {
                Py_UCS4 c = AT(t, i);
                if (c == 0)
                    *w++ = ' ';
                else if (c < 0x80)
                    *w++ = (unsigned char)c;
                else if (c < 0x800) {
                    *w++ = 0xC0 | (c >> 6);
                    *w++ = 0x80 | (c & 0x3F);
                } else if (c == 0x2018 || c == 0x2019)
                    *w++ = '\'';
                else if (c >= 0xD800 && c <= 0xDFFF)
                    *w++ = '?';
                else if (c < 0x10000) {
                    *w++ = 0xE0 | (c >> 12);
                    *w++ = 0x80 | ((c >> 6) & 0x3F);
                    *w++ = 0x80 | (c & 0x3F);
                } else {
                    *w++ = 0xF0 | (c >> 18);
                    *w++ = 0x80 | ((c >> 12) & 0x3F);
                    *w++ = 0x80 | ((c >> 6) & 0x3F);
                    *w++ = 0x80 | (c & 0x3F);
                }
            }
        }
        *w++ = 0;
    }
    PyObject *result = tokenize_core(buf, w - buf);
    PyMem_Free(buf);
    return result;
}

/* ------------------------------------------------------------------ split_spans */

static int is_mark(Py_UCS4 c) { return c == '.' || c == '!' || c == '?'; }
static int is_closer(Py_UCS4 c)
{
    return c == '\'' || c == '"' || c == 0x2019 || c == 0x201D || c == ')' || c == ']';
}
static int is_opener(Py_UCS4 c)
{
    return c == '\'' || c == '"' || c == 0x2018 || c == 0x201C || c == '(' || c == '[';
}

/* The first p >= start before end where text[p] is ".", "!" or "?" (or end). */
static Py_ssize_t next_mark(Text t, Py_ssize_t p, Py_ssize_t end)
{
#define SCAN(type) { const type *d = t.data; \
        while (p < end && d[p] != '.' && d[p] != '!' && d[p] != '?') p++; }
    if (t.kind == PyUnicode_1BYTE_KIND) SCAN(Py_UCS1)
    else if (t.kind == PyUnicode_2BYTE_KIND) SCAN(Py_UCS2)
    else SCAN(Py_UCS4)
#undef SCAN
    return p;
}

/* The first p >= start before end where text[p] is a line break (or end). */
static Py_ssize_t next_newline(Text t, Py_ssize_t p, Py_ssize_t end)
{
    if (t.kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *d = t.data;
        const void *hit = p < end ? memchr(d + p, '\n', end - p) : NULL;
        return hit ? (const Py_UCS1 *)hit - d : end;
    }
    while (p < end && AT(t, p) != '\n')
        p++;
    return p;
}

/* Whether text[lo:hi].lower() is in ``abbreviations`` (-1 an error). */
static int lower_in(PyObject *text, Text t, Py_ssize_t lo, Py_ssize_t hi, PyObject *abbreviations)
{
    int ascii = 1;
    for (Py_ssize_t i = lo; i < hi && ascii; i++)
        ascii = AT(t, i) < 0x80;
    PyObject *low;
    if (ascii && hi - lo <= 64) {
        char buf[64];
        for (Py_ssize_t i = lo; i < hi; i++) {
            Py_UCS4 c = AT(t, i);
            buf[i - lo] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        low = PyUnicode_FromStringAndSize(buf, hi - lo);
    } else {
        PyObject *word = PyUnicode_Substring(text, lo, hi);
        if (!word)
            return -1;
        low = PyObject_CallMethod(word, "lower", NULL);
        Py_DECREF(word);
    }
    if (!low)
        return -1;
    int known = PySequence_Contains(abbreviations, low);
    Py_DECREF(low);
    return known;
}

static int all_alpha(Text t, Py_ssize_t lo, Py_ssize_t hi)
{
    for (Py_ssize_t i = lo; i < hi; i++)
        if (!Py_UNICODE_ISALPHA(AT(t, i)))
            return 0;
    return 1;
}

/* [^\W\d_] of the re module: a word character but no decimal digit and no underscore. */
static int re_letter(Py_UCS4 c)
{
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c) && c != '_';
}

/* _word_before: where the word (letters, or dotted letters) ending right before an optional
 * period and closing quotes at ``end`` starts, looking back at most 40 characters; its end
 * in *stop. Returns *stop when there is none. */
static Py_ssize_t word_before(Text t, Py_ssize_t end, Py_ssize_t *stop)
{
    Py_ssize_t lo = end - 40 > 0 ? end - 40 : 0, q = end;
    while (q > lo && is_closer(AT(t, q - 1)))
        q--;
    if (q > lo && AT(t, q - 1) == '.')
        q--;
    *stop = q;
    Py_ssize_t i = q;
    while (i > lo && re_letter(AT(t, i - 1)))
        i--;
    if (i == q)
        return q;
    for (;;) {  /* (?:\.[^\W\d_]+)* read backwards */
        Py_ssize_t j = i - 1;
        if (!(j > lo && AT(t, j) == '.' && re_letter(AT(t, j - 1))))
            return i;
        while (j > lo && re_letter(AT(t, j - 1)))
            j--;
        i = j;
    }
}

static int call_bool(PyObject *fn, PyObject *args)
{
    if (!args)
        return -1;
    PyObject *r = PyObject_CallObject(fn, args);
    Py_DECREF(args);
    if (!r)
        return -1;
    int yes = PyObject_IsTrue(r);
    Py_DECREF(r);
    return yes;
}

/* _is_boundary(text, e, end) for the candidate end ``e`` of a paragraph ending at ``end``: 1 a
 * boundary, 0 not, -1 an error. Only an abbreviation goes back to Python:
 * ``after(word, text, next_start)`` (_after_abbreviation). */
static int decide(PyObject *text, Text t, Py_ssize_t e, Py_ssize_t end, PyObject *abbreviations,
                  PyObject *after)
{
    Py_ssize_t nxt;
    if (e + 1 < end && AT(t, e) == ' ' && !Py_UNICODE_ISSPACE(AT(t, e + 1))
            && !is_opener(AT(t, e + 1))) {
        nxt = e + 1;
    } else {  /* _NEXT_START_RE: \s+(['"\u2018\u201c(\[]*)(\S) */
        Py_ssize_t q = e, r;
        while (q < end && Py_UNICODE_ISSPACE(AT(t, q)))
            q++;
        if (q == e)
            return 1;
        for (r = q; r < end && is_opener(AT(t, r)); r++)
            ;
        if (r < end && !Py_UNICODE_ISSPACE(AT(t, r)))
            nxt = r;
        else if (r > q)
            nxt = r - 1;  /* the last opener is the \S */
        else
            return 1;
    }
    Py_UCS4 first = AT(t, nxt);
    int continues = Py_UNICODE_ISLOWER(first) || first == ',' || first == ';' || first == ':';
    Py_UCS4 before = e >= 2 && AT(t, e - 1) == '.' ? AT(t, e - 2) : 0;
    if (before && Py_UNICODE_ISLOWER(before)) {
        if (continues)
            return 0;
        Py_ssize_t lo = e - 40 > 0 ? e - 40 : 0, w = lo;
        for (Py_ssize_t i = e - 2; i >= lo; i--)  /* text.rfind(" ", lo, e - 1) */
            if (AT(t, i) == ' ') {
                w = i + 1;
                break;
            }
        if (w < e - 1 && all_alpha(t, w, e - 1)) {
            int known = lower_in(text, t, w, e - 1, abbreviations);
            if (known <= 0)
                return known < 0 ? -1 : 1;
            return call_bool(after, Py_BuildValue("(NOn)", PyUnicode_Substring(text, w, e - 1),
                                                  text, nxt));
        }
    } else if (before && Py_UNICODE_ISDECIMAL(before)) {
        return !continues;
    }
    Py_ssize_t last = e;
    while (last > 0 && is_closer(AT(t, last - 1)))
        last--;
    if (!(last > 0 && AT(t, last - 1) == '.'))
        return !Py_UNICODE_ISLOWER(first);
    if (continues)
        return 0;
    /* _dotted_end: is_abbreviation(word) (dotted, an initial, or known) asks the model. */
    Py_ssize_t stop, w = word_before(t, e, &stop);
    if (w == stop)
        return 1;
    int abbreviation = 0;
    for (Py_ssize_t i = w; i < stop && !abbreviation; i++)
        abbreviation = AT(t, i) == '.';
    if (!abbreviation && stop - w == 1)
        abbreviation = Py_UNICODE_ISUPPER(AT(t, w));
    if (!abbreviation) {
        abbreviation = lower_in(text, t, w, stop, abbreviations);
        if (abbreviation < 0)
            return -1;
    }
    if (!abbreviation)
        return 1;
    return call_bool(after, Py_BuildValue("(NOn)", PyUnicode_Substring(text, w, stop), text, nxt));
}

/* Append the sentence text[s0:e0] to ``out``: stripped (s, e) when it holds a letter or
 * digit, or (s0, ~e0) when it is longer than ``longest`` (cut in Python). */
static int emit(PyObject *out, Text t, Py_ssize_t s0, Py_ssize_t e0, Py_ssize_t longest)
{
    Py_ssize_t s = s0, e = e0;
    if (e0 - s0 > longest) {
        e = ~e0;
    } else {
        while (s < e && Py_UNICODE_ISSPACE(AT(t, s)))
            s++;
        while (e > s && Py_UNICODE_ISSPACE(AT(t, e - 1)))
            e--;
        Py_ssize_t i = s;
        while (i < e && !Py_UNICODE_ISALNUM(AT(t, i)))
            i++;
        if (i == e)
            return 0;
    }
    PyObject *a = PyLong_FromSsize_t(s), *z = PyLong_FromSsize_t(e);
    int bad = !a || !z || PyList_Append(out, a) < 0 || PyList_Append(out, z) < 0;
    Py_XDECREF(a);
    Py_XDECREF(z);
    return bad ? -1 : 0;
}

/* The sentences of one paragraph text[start:end], as _ends_in and split_sentences make them. */
static int paragraph(PyObject *out, PyObject *text, Text t, Py_ssize_t start, Py_ssize_t end,
                     PyObject *abbreviations, PyObject *after, Py_ssize_t longest)
{
    Py_ssize_t s0 = start, p = start;
    while ((p = next_mark(t, p, end)) < end) {
        Py_ssize_t q = p;
        while (q < end && is_mark(AT(t, q)))
            q++;
        while (q < end && is_closer(AT(t, q)))
            q++;
        if (q < end && Py_UNICODE_ISSPACE(AT(t, q))) {
            int yes = decide(text, t, q, end, abbreviations, after);
            if (yes < 0)
                return -1;
            if (yes) {
                if (emit(out, t, s0, q, longest) < 0)
                    return -1;
                s0 = q;
            }
        }
        p = q;
    }
    return emit(out, t, s0, end, longest);
}

/* split_spans(text, start, end, abbreviations, after, longest) -> [s, e, s, e, ...] */
static PyObject *split_spans(PyObject *self, PyObject *args)
{
    PyObject *text, *abbreviations, *after;
    Py_ssize_t start, end, longest;
    if (!PyArg_ParseTuple(args, "UnnOOn", &text, &start, &end, &abbreviations, &after,
                          &longest))
        return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (start < 0 || end > len || start > end) {
        PyErr_SetString(PyExc_ValueError, "region out of range");
        return NULL;
    }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    Py_ssize_t para = start, p = start;
    /* Paragraph breaks: \n\s*\n (to the last line break of the run of spaces), or a line
     * break before a list item (\n(?=\s*[-*\u2022]\s)). */
    while ((p = next_newline(t, p, end)) < end) {
        Py_ssize_t q = p + 1, stop = -1;
        while (q < end && Py_UNICODE_ISSPACE(AT(t, q)))
            q++;
        for (Py_ssize_t k = q - 1; k > p; k--)
            if (AT(t, k) == '\n') {
                stop = k + 1;
                break;
            }
        if (stop < 0 && q + 1 < end) {
            Py_UCS4 c = AT(t, q);
            if ((c == '-' || c == '*' || c == 0x2022) && Py_UNICODE_ISSPACE(AT(t, q + 1)))
                stop = p + 1;
        }
        if (stop < 0) {
            p++;
            continue;
        }
        if (paragraph(out, text, t, para, p, abbreviations, after, longest) < 0)
            goto fail;
        para = p = stop;
    }
    if (paragraph(out, text, t, para, end, abbreviations, after, longest) < 0)
        goto fail;
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ hints_present */

/* hints_present(data, short, long, table) -> set of the hints that occur in ``data``.
 * ``short``: (hint, probe) pairs searched directly; ``long``: (hint, at, window) triples,
 * ``window`` the little-endian 4 bytes of ``hint`` at ``at``; ``table``: 65536 bytes, nonzero
 * where some window hashes. */
static PyObject *hints_present(PyObject *self, PyObject *args)
{
    Py_buffer data, table;
    PyObject *shorts, *longs, *found = NULL;
    if (!PyArg_ParseTuple(args, "y*O!O!y*", &data, &PyTuple_Type, &shorts, &PyTuple_Type,
                          &longs, &table))
        return NULL;
    const unsigned char *d = data.buf, *tab = table.buf;
    Py_ssize_t n = data.len, nlong = PyTuple_GET_SIZE(longs);
    if (table.len != 65536) {
        PyErr_SetString(PyExc_ValueError, "table must be 65536 bytes");
        goto done;
    }
    found = PySet_New(NULL);
    if (!found)
        goto done;
    for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(shorts); j++) {
        PyObject *pair = PyTuple_GET_ITEM(shorts, j), *hint, *probe;
        if (!PyArg_ParseTuple(pair, "SS", &hint, &probe))
            goto fail;
        Py_ssize_t hl = PyBytes_GET_SIZE(hint), pl = PyBytes_GET_SIZE(probe);
        if (pl && !memmem(d, n, PyBytes_AS_STRING(probe), pl))
            continue;
        if (memmem(d, n, PyBytes_AS_STRING(hint), hl) && PySet_Add(found, hint) < 0)
            goto fail;
    }
    for (Py_ssize_t i = 0; i + 3 < n; i++) {
        uint32_t w;
        memcpy(&w, d + i, 4);
#if PY_BIG_ENDIAN
        w = __builtin_bswap32(w);
#endif
        if (!tab[(uint32_t)(w * 0x9E3779B1u) >> 16])
            continue;
        for (Py_ssize_t j = 0; j < nlong; j++) {
            PyObject *triple = PyTuple_GET_ITEM(longs, j);
            PyObject *hint = PyTuple_GET_ITEM(triple, 0);
            Py_ssize_t at = PyLong_AsSsize_t(PyTuple_GET_ITEM(triple, 1));
            unsigned long gram = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(triple, 2));
            if (PyErr_Occurred())
                goto fail;
            Py_ssize_t hl = PyBytes_GET_SIZE(hint);
            if (gram == w && i >= at && i - at + hl <= n
                    && memcmp(d + i - at, PyBytes_AS_STRING(hint), hl) == 0
                    && PySet_Add(found, hint) < 0)
                goto fail;
        }
    }
    goto done;
fail:
    Py_CLEAR(found);
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&table);
    return found;
}


/* ------------------------------------------------------------------ quote_groups */

static int is_double(Py_UCS4 c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0xAB || c == 0xBB;
}

enum { K_OPEN, K_CLOSE, K_EITHER };

/* _mark_kind: whether the double quote mark at i (in the paragraph [lo, hi)) opens, closes,
 * or could do either. */
static int mark_kind(Text t, Py_ssize_t i, Py_ssize_t lo, Py_ssize_t hi)
{
    Py_UCS4 c = AT(t, i);
    if (c == 0x201C || c == 0x201E || c == 0xAB)
        return K_OPEN;
    if (c == 0xBB)
        return K_CLOSE;
    Py_UCS4 before = i > lo ? AT(t, i - 1) : ' ', after = i + 1 < hi ? AT(t, i + 1) : ' ';
    int left = Py_UNICODE_ISSPACE(before) || before == '(' || before == '[' || before == '{'
        || before == 0x2014 || before == 0x2013 || before == '-' || before == '/';
    int right = Py_UNICODE_ISSPACE(after) || (after < 0x80 && after && strchr(",.;:!?)]}-", (int)after))
        || after == 0x2014 || after == 0x2013;
    if (c == 0x201D)
        return left && Py_UNICODE_ISALNUM(after) ? K_OPEN : K_CLOSE;
    if (left != right)
        return left ? K_OPEN : K_CLOSE;
    return K_EITHER;
}

/* _last_sentence_end: the end of the last match of [.!?](?=\s+[A-Z\u201c"]) in [lo, hi),
 * or -1. */
static Py_ssize_t last_sentence_end(Text t, Py_ssize_t lo, Py_ssize_t hi)
{
    for (Py_ssize_t j = hi - 1; j >= lo; j--) {
        Py_UCS4 c = AT(t, j);
        if (c != '.' && c != '!' && c != '?')
            continue;
        Py_ssize_t q = j + 1;
        while (q < hi && Py_UNICODE_ISSPACE(AT(t, q)))
            q++;
        if (q > j + 1 && q < hi) {
            Py_UCS4 d = AT(t, q);
            if ((d >= 'A' && d <= 'Z') || d == 0x201C || d == '"')
                return j + 1;
        }
    }
    return -1;
}

typedef struct {
    Py_ssize_t *v;
    Py_ssize_t n, cap;
} Ints;

static int ints_push(Ints *a, Py_ssize_t x)
{
    if (a->n == a->cap) {
        Py_ssize_t cap = a->cap ? 2 * a->cap : 64;
        Py_ssize_t *v = PyMem_Realloc(a->v, cap * sizeof(Py_ssize_t));
        if (!v) {
            PyErr_NoMemory();
            return -1;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

typedef struct {
    Text t;
    Ints cur;  /* the current group: s, e, s, e, ... */
    Ints out;  /* groups: count, s, e, ..., count, s, e, ... */
} Quotes;

/* add(a, b): trim(text, a, b) appended to the current group when a letter or digit is left. */
static int q_add(Quotes *q, Py_ssize_t a, Py_ssize_t b)
{
    while (a < b && Py_UNICODE_ISSPACE(AT(q->t, a)))
        a++;
    while (b > a && Py_UNICODE_ISSPACE(AT(q->t, b - 1)))
        b--;
    Py_ssize_t i = a;
    while (i < b && !Py_UNICODE_ISALNUM(AT(q->t, i)))
        i++;
    if (i == b)
        return 0;
    return ints_push(&q->cur, a) < 0 || ints_push(&q->cur, b) < 0 ? -1 : 0;
}

/* groups.append(current) when current is not empty; then current = []. */
static int q_flush(Quotes *q, int keep)
{
    if (keep && q->cur.n) {
        if (ints_push(&q->out, q->cur.n / 2) < 0)
            return -1;
        for (Py_ssize_t k = 0; k < q->cur.n; k++)
            if (ints_push(&q->out, q->cur.v[k]) < 0)
                return -1;
    }
    q->cur.n = 0;
    return 0;
}

/* quote_groups(text, regions, closed) -> [count, s, e, ..., count, s, e, ...]: the groups of
 * double_quote_groups as flat spans (regions: (lo, hi) pairs, 0 <= lo <= hi <= len(text)). */
static PyObject *quote_groups(PyObject *self, PyObject *args)
{
    PyObject *text, *regions, *result = NULL;
    int closed;
    if (!PyArg_ParseTuple(args, "UO!p", &text, &PyList_Type, &regions, &closed))
        return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), nreg = PyList_GET_SIZE(regions);
    Quotes q = {{PyUnicode_KIND(text), PyUnicode_DATA(text)}, {NULL, 0, 0}, {NULL, 0, 0}};
    Text t = q.t;
    Ints marks = {NULL, 0, 0}, bounds = {NULL, 0, 0};
    /* Every region's bounds and double quote marks first: no marks, no groups. */
    for (Py_ssize_t r = 0; r < nreg; r++) {
        Py_ssize_t lo, hi;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(regions, r), "nn", &lo, &hi))
            goto done;
        if (lo < 0 || hi > len || lo > hi) {
            PyErr_SetString(PyExc_ValueError, "region out of range");
            goto done;
        }
        if (ints_push(&bounds, lo) < 0 || ints_push(&bounds, hi) < 0)
            goto done;
        for (Py_ssize_t i = lo; i < hi; i++)
            if (is_double(AT(t, i)) && ints_push(&marks, i) < 0)
                goto done;
        if (ints_push(&marks, -1) < 0)  /* the end of the region's marks */
            goto done;
    }
    if (marks.n == nreg) {
        result = PyList_New(0);
        goto done;
    }
    Py_ssize_t open_at = -1, prev_end = 0, m = 0;
    int opened = 0;
    for (Py_ssize_t r = 0; r < nreg; r++, m++) {
        Py_ssize_t lo = bounds.v[2 * r], hi = bounds.v[2 * r + 1], a = lo;
        while (a < hi) {  /* _paragraphs: the region's non-blank lines */
            Py_ssize_t b = next_newline(t, a, hi), fs = a;
            while (fs < b && Py_UNICODE_ISSPACE(AT(t, fs)))
                fs++;
            if (fs == b) {  /* blank */
                a = b + 1;
                continue;
            }
            Py_ssize_t first = m;
            while (marks.v[m] >= 0 && marks.v[m] < b)
                m++;
            Py_ssize_t *mk = marks.v + first, nm = m - first, n0 = 0;
            if (open_at >= 0) {
                int kind0 = nm ? mark_kind(t, mk[0], a, b) : K_EITHER;
                Py_UCS4 f = AT(t, fs);
                if (nm && (f == '"' || f == 0x201C || f == 0x201E || f == 0xAB) && mk[0] == fs) {
                    if (q_add(&q, open_at, prev_end) < 0)
                        goto done;
                    open_at = mk[0] + 1;
                    opened = 1;
                    n0 = 1;
                } else if (nm && (kind0 == K_CLOSE || (kind0 == K_EITHER && nm % 2))) {
                    if (q_add(&q, open_at, prev_end) < 0)
                        goto done;
                    open_at = a;
                    opened = 1;
                } else {
                    if (opened && !closed && q_add(&q, open_at, prev_end) < 0)
                        goto done;
                    if (q_flush(&q, opened && !closed) < 0)
                        goto done;
                    open_at = -1;
                }
            }
            for (Py_ssize_t k = n0; k < nm; k++) {
                Py_ssize_t i = mk[k];
                int kind = mark_kind(t, i, a, b);
                Py_ssize_t cut = kind == K_OPEN && open_at >= 0
                    ? last_sentence_end(t, open_at, i) : -1;
                if (open_at >= 0 && cut >= 0) {
                    if (!closed && q_add(&q, open_at, cut) < 0)
                        goto done;
                    if (q_flush(&q, !closed) < 0)
                        goto done;
                    open_at = i + 1;
                    opened = 1;
                } else if (open_at >= 0) {
                    if (q_add(&q, open_at, i) < 0 || q_flush(&q, 1) < 0)
                        goto done;
                    open_at = -1;
                } else if (kind == K_CLOSE && !closed) {
                    if (k == n0) {
                        Py_UCS4 p = AT(t, i > 0 ? i - 1 : len - 1);  /* text[i - 1] */
                        Py_UCS4 nx = i + 1 < len ? AT(t, i + 1) : 0;
                        if (p == ',' || p == '.' || p == '!' || p == '?' || p == 0x2026
                                || (Py_UNICODE_ISALPHA(p) && i + 1 < len
                                    && (nx == ',' || nx == '.'))) {
                            if (q_add(&q, a, i) < 0 || q_flush(&q, 1) < 0)
                                goto done;
                        }
                    }
                } else {
                    open_at = i + 1;
                    opened = kind == K_OPEN;
                }
            }
            prev_end = b;
            a = b + 1;
        }
        while (marks.v[m] >= 0)  /* marks of blank lines: none, but keep in step */
            m++;
    }
    if (open_at >= 0 && opened && !closed) {
        if (q_add(&q, open_at, prev_end) < 0 || q_flush(&q, 1) < 0)
            goto done;
    }
    result = PyList_New(q.out.n);
    if (!result)
        goto done;
    for (Py_ssize_t k = 0; k < q.out.n; k++) {
        PyObject *x = PyLong_FromSsize_t(q.out.v[k]);
        if (!x) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, x);
    }
done:
    PyMem_Free(marks.v);
    PyMem_Free(bounds.v);
    PyMem_Free(q.cur.v);
    PyMem_Free(q.out.v);
    return result;
}

/* ------------------------------------------------------------------ gram_pairs */

#define MAX_GRAM 32

typedef struct {
    Py_ssize_t n;  /* gram length; 0: none */
    uint64_t salt; /* the salt's term, added to every gram */
    uint64_t mult[MAX_GRAM];
} Family;

static int parse_family(PyObject *spec, Family *f)
{
    PyObject *mults;
    unsigned long long salt;
    if (!PyArg_ParseTuple(spec, "nKO!", &f->n, &salt, &PyTuple_Type, &mults))
        return -1;
    if (f->n < 0 || f->n > MAX_GRAM || PyTuple_GET_SIZE(mults) != f->n) {
        PyErr_SetString(PyExc_ValueError, "bad gram family");
        return -1;
    }
    f->salt = salt;
    for (Py_ssize_t k = 0; k < f->n; k++) {
        f->mult[k] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(mults, k));
        if (PyErr_Occurred())
            return -1;
    }
    return 0;
}

/* ngram_hashes of the run of f->n ids at ids[j]. */
static uint32_t gram_at(const uint64_t *ids, Py_ssize_t j, const Family *f, uint64_t final)
{
    uint64_t acc = f->salt;
    for (Py_ssize_t k = 0; k < f->n; k++)
        acc += ids[j + k] * f->mult[k];
    acc ^= acc >> 31;
    acc *= final;
    return (uint32_t)(acc >> 32);
}

typedef struct {
    uint64_t *out;
    Py_ssize_t n;
    const uint64_t *doc;
} Pairs;

static void put(Pairs *p, int32_t sentence, uint32_t key)
{
    p->out[p->n++] = (p->doc[sentence] << 32) | key;
}

/* One family's grams that stay in one sentence (and hold an anchor when ``anchors``, a
 * prefix count, is given): every one (all), or those 0 modulo ``sample`` plus (minimum)
 * each sentence's smallest. */
static void family_pairs(Pairs *p, const uint64_t *ids, const int32_t *owner, Py_ssize_t len,
                         const int32_t *anchors, const Family *f, uint64_t final, int all,
                         uint32_t sample, int minimum)
{
    Py_ssize_t n = f->n;
    int32_t run = -1;
    uint32_t low = 0;
    for (Py_ssize_t j = 0; j + n <= len; j++) {
        if (owner[j] != owner[j + n - 1] || (anchors && anchors[j + n] == anchors[j]))
            continue;
        uint32_t g = gram_at(ids, j, f, final);
        if (all || g % sample == 0)
            put(p, owner[j], g);
        if (minimum) {
            if (owner[j] != run) {
                if (run >= 0)
                    put(p, run, low);
                run = owner[j];
                low = g;
            } else if (g < low) {
                low = g;
            }
        }
    }
    if (minimum && run >= 0)
        put(p, run, low);
}

/* gram_pairs(hashes, sentence, first, doc, stop, word, skeleton, opening, sample,
 *            skeleton_min, every, final) -> bytearray of uint64
 * The (doc[sentence] << 32 | key) pairs of batch_document_keys for the tokens that
 * tokenize_parts gave (hashes uint64, sentence int32, first uint8): unsorted, with repeats.
 * ``stop``: the stopword table (one byte per top 20 bits of a hash); word, skeleton and
 * opening: (n, salt term, multipliers); ``every``: 1 (or True), every word and skeleton gram
 * and no openings (a document's extras); 2, every gram and the openings (a trace's query,
 * sentence_grams with sample_only False); 0, the sampled grams, the minima and the openings. */
static PyObject *gram_pairs(PyObject *self, PyObject *args)
{
    Py_buffer hb, sb, fb, db, tb;
    PyObject *wspec, *kspec, *ospec, *result = NULL;
    Py_ssize_t sample;
    int skeleton_min, every;
    unsigned long long final;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*O!O!O!npiK", &hb, &sb, &fb, &db, &tb,
                          &PyTuple_Type, &wspec, &PyTuple_Type, &kspec, &PyTuple_Type, &ospec,
                          &sample, &skeleton_min, &every, &final))
        return NULL;
    Family word, skel, open;
    uint64_t *sym = NULL;
    int32_t *sym_owner = NULL, *anchors = NULL;
    Py_ssize_t len = hb.len / 8, ndoc = db.len / 8;
    const uint64_t *h = hb.buf, *doc = db.buf;
    const int32_t *sentence = sb.buf;
    const unsigned char *first = fb.buf, *stop = tb.buf;
    if (parse_family(wspec, &word) < 0 || parse_family(kspec, &skel) < 0
            || parse_family(ospec, &open) < 0)
        goto done;
    if (hb.len % 8 || sb.len != 4 * len || fb.len != len || db.len % 8 || tb.len != 1 << 20
            || sample < 1 || sample > 0xFFFFFFFFLL || word.n < 1 || skel.n < 1
            || every < 0 || every > 2) {
        PyErr_SetString(PyExc_ValueError, "bad gram_pairs arguments");
        goto done;
    }
    for (Py_ssize_t i = 0; i < len; i++)
        if (sentence[i] < 0 || sentence[i] >= ndoc || (i && sentence[i] < sentence[i - 1])
                || h[i] >> 32) {
            PyErr_SetString(PyExc_ValueError, "hashes or sentence numbers out of range");
            goto done;
        }
    /* At most every word and skeleton gram, two minima per sentence and one opening. */
    result = PyByteArray_FromStringAndSize(NULL, (2 * len + 3 * ndoc + 1) * 8);
    sym = PyMem_Malloc((len + 1) * sizeof(uint64_t));
    sym_owner = PyMem_Malloc((len + 1) * sizeof(int32_t));
    anchors = PyMem_Malloc((len + 2) * sizeof(int32_t));
    if (!result || !sym || !sym_owner || !anchors) {
        if (result)
            PyErr_NoMemory();
        Py_CLEAR(result);
        goto done;
    }
    Pairs p = {(uint64_t *)PyByteArray_AS_STRING(result), 0, doc};
    /* _skeleton: function words as they are, names and numbers as anchors, other words one
     * wildcard per run; anchors[] counts the anchors before each symbol. */
    Py_ssize_t m = 0;
    int wild_before = 0;
    anchors[0] = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        int same = i > 0 && sentence[i] == sentence[i - 1];
        int st = stop[h[i] >> 12];
        int anchor = (((first[i] == 1) && same) || first[i] == 2) && !st;
        int wild = !st && !anchor;
        if (!(same && wild && wild_before)) {
            sym[m] = anchor ? h[i] ^ 0x5BD1E99500000000ULL : (st ? h[i] : 0x2A2A2A2AULL);
            sym_owner[m] = sentence[i];
            anchors[m + 1] = anchors[m] + anchor;
            m++;
        }
        wild_before = wild;
    }
    family_pairs(&p, h, sentence, len, NULL, &word, final, every, (uint32_t)sample, !every);
    family_pairs(&p, sym, sym_owner, m, anchors, &skel, final, every, (uint32_t)sample,
                 !every && skeleton_min);
    if (every != 1 && open.n) {  /* _openings: each sentence's first open.n tokens */
        for (Py_ssize_t i = 0; i + open.n <= len; i++)
            if ((i == 0 || sentence[i] != sentence[i - 1])
                    && sentence[i] == sentence[i + open.n - 1])
                put(&p, sentence[i], gram_at(h, i, &open, final));
    }
    if (PyByteArray_Resize(result, p.n * 8) < 0)
        Py_CLEAR(result);
done:
    PyMem_Free(sym);
    PyMem_Free(sym_owner);
    PyMem_Free(anchors);
    PyBuffer_Release(&hb);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&fb);
    PyBuffer_Release(&db);
    PyBuffer_Release(&tb);
    return result;
}

/* ------------------------------------------------------------------ add_sentences */

/* unspun.data.Span and Sentence (frozen slotted dataclasses) and where their slots are:
 * add_sentences fills the slots of new objects as sentence_at does, without __init__. */
static PyTypeObject *span_type, *sentence_type;
static Py_ssize_t span_start, span_end, sentence_index, sentence_span, sentence_text;

static int slot_offset(PyTypeObject *type, const char *name, Py_ssize_t *offset)
{
    PyObject *d = PyDict_GetItemString(type->tp_dict, name);  /* borrowed */
    if (!d || Py_TYPE(d) != &PyMemberDescr_Type
            || ((PyMemberDescrObject *)d)->d_member->type != T_OBJECT_EX) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not an object slot", type->tp_name, name);
        return -1;
    }
    *offset = ((PyMemberDescrObject *)d)->d_member->offset;
    return 0;
}

/* set_sentence_types(Span, Sentence): the classes add_sentences makes. */
static PyObject *set_sentence_types(PyObject *self, PyObject *args)
{
    PyTypeObject *span, *sentence;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &span, &PyType_Type, &sentence))
        return NULL;
    if (slot_offset(span, "start", &span_start) < 0 || slot_offset(span, "end", &span_end) < 0
            || slot_offset(sentence, "index", &sentence_index) < 0
            || slot_offset(sentence, "span", &sentence_span) < 0
            || slot_offset(sentence, "text", &sentence_text) < 0)
        return NULL;
    Py_INCREF(span);
    Py_INCREF(sentence);
    Py_XSETREF(span_type, span);
    Py_XSETREF(sentence_type, sentence);
    Py_RETURN_NONE;
}

#define SLOT(o, offset) (*(PyObject **)((char *)(o) + (offset)))

/* add_sentences(text, bounds, k, out) -> int: for each pair (s, e) of the flat ``bounds``
 * from index k on, out.append(sentence_at(len(out), s, e, text[s:e])), up to the first
 * pair with e < 0 (a sentence to cut in Python); returns where it stopped. */
static PyObject *add_sentences(PyObject *self, PyObject *args)
{
    PyObject *text, *bounds, *out;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "UO!nO!", &text, &PyList_Type, &bounds, &k, &PyList_Type, &out))
        return NULL;
    if (!span_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_sentence_types was not called");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(bounds), len = PyUnicode_GET_LENGTH(text);
    if (k < 0 || n % 2) {
        PyErr_SetString(PyExc_ValueError, "bounds must be pairs");
        return NULL;
    }
    for (; k + 1 < n; k += 2) {
        Py_ssize_t s = PyLong_AsSsize_t(PyList_GET_ITEM(bounds, k));
        Py_ssize_t e = PyLong_AsSsize_t(PyList_GET_ITEM(bounds, k + 1));
        if (PyErr_Occurred())
            return NULL;
        if (e < 0)
            break;
        if (s < 0 || s > e || e > len) {
            PyErr_SetString(PyExc_ValueError, "span out of range");
            return NULL;
        }
        PyObject *span = span_type->tp_alloc(span_type, 0);
        if (!span)
            return NULL;
        SLOT(span, span_start) = Py_NewRef(PyList_GET_ITEM(bounds, k));
        SLOT(span, span_end) = Py_NewRef(PyList_GET_ITEM(bounds, k + 1));
        PyObject *sentence = sentence_type->tp_alloc(sentence_type, 0);
        if (!sentence) {
            Py_DECREF(span);
            return NULL;
        }
        SLOT(sentence, sentence_span) = span;
        PyObject *index = PyLong_FromSsize_t(PyList_GET_SIZE(out));
        PyObject *body = PyUnicode_Substring(text, s, e);
        SLOT(sentence, sentence_index) = index;
        SLOT(sentence, sentence_text) = body;
        if (!index || !body || PyList_Append(out, sentence) < 0) {
            Py_DECREF(sentence);
            return NULL;
        }
        Py_DECREF(sentence);
    }
    return PyLong_FromSsize_t(k);
}

/* span_bytes(sentences) -> bytes | None: unspun.index.records.span_bytes, the (start, end)
 * native int32 pairs of each Sentence's span, read from the slots; None when an item is not
 * exactly a Sentence with a Span of int bounds in int32 range (the Python code then decides). */
static PyObject *span_bytes(PyObject *self, PyObject *list)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "span_bytes takes a list");
        return NULL;
    }
    if (!span_type)
        Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(list);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * 8);
    if (!out)
        return NULL;
    int32_t *at = (int32_t *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *sentence = PyList_GET_ITEM(list, i), *span;
        if (Py_TYPE(sentence) != sentence_type || !(span = SLOT(sentence, sentence_span))
                || Py_TYPE(span) != span_type)
            goto fallback;
        PyObject *bound[2] = {SLOT(span, span_start), SLOT(span, span_end)};
        for (int j = 0; j < 2; j++) {
            if (!bound[j] || !PyLong_CheckExact(bound[j]))
                goto fallback;
            int overflow;
            long v = PyLong_AsLongAndOverflow(bound[j], &overflow);
            if (overflow || v < INT32_MIN || v > INT32_MAX)
                goto fallback;
            at[2 * i + j] = (int32_t)v;
        }
    }
    return out;
fallback:
    Py_DECREF(out);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ stored_sentences */

/* stored_sentences(text, spans) -> list | None: unspun.text.sentences.stored_sentences in one
 * call: the sentence_at objects of the (start, end) native int32 pairs of the bytes ``spans``
 * (a whole number of pairs), or None if one is out of range (the Python loop makes those). */
static PyObject *stored_sentences(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_buffer b;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &b))
        return NULL;
    PyObject *out = NULL;
    if (!span_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_sentence_types was not called");
        goto done;
    }
    if (b.len % (2 * sizeof(int32_t))) {
        PyErr_SetString(PyExc_ValueError, "spans must be pairs of int32");
        goto done;
    }
    Py_ssize_t n = b.len / (Py_ssize_t)(2 * sizeof(int32_t)), len = PyUnicode_GET_LENGTH(text);
    const char *at = b.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t s, e;
        memcpy(&s, at + 8 * i, 4);
        memcpy(&e, at + 8 * i + 4, 4);
        if (s < 0 || s > e || e > len) {
            out = Py_NewRef(Py_None);
            goto done;
        }
    }
    out = PyList_New(n);
    if (!out)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t s, e;
        memcpy(&s, at + 8 * i, 4);
        memcpy(&e, at + 8 * i + 4, 4);
        PyObject *span = span_type->tp_alloc(span_type, 0);
        if (!span)
            goto fail;
        SLOT(span, span_start) = PyLong_FromLong(s);
        SLOT(span, span_end) = PyLong_FromLong(e);
        PyObject *sentence = sentence_type->tp_alloc(sentence_type, 0);
        if (!sentence) {
            Py_DECREF(span);
            goto fail;
        }
        PyList_SET_ITEM(out, i, sentence);
        SLOT(sentence, sentence_span) = span;
        SLOT(sentence, sentence_index) = PyLong_FromSsize_t(i);
        SLOT(sentence, sentence_text) = PyUnicode_Substring(text, s, e);
        if (!SLOT(span, span_start) || !SLOT(span, span_end) || !SLOT(sentence, sentence_index)
                || !SLOT(sentence, sentence_text))
            goto fail;
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyBuffer_Release(&b);
    return out;
}

/* ------------------------------------------------------------------ StoredSentences */

/* StoredSentences(text, spans): unspun.text.sentences.StoredSentences (its Python twin), a
 * document's sentences at the native int32 (start, end) pairs of the bytes ``spans``, each
 * made (as sentence_at would make it) when first read, then kept. A trace reads every span
 * of its ~1,800 candidate sentences (source_hits takes ``spans`` as they are) but ~200 of
 * the sentences; a read here costs no Python call. Not tracked by the collector: what it
 * holds (str, bytes, Sentences of str and ints) cannot refer back to it. */
typedef struct {
    PyObject_HEAD
    PyObject *text;  /* str */
    PyObject *spans; /* bytes, a whole number of pairs */
    PyObject **made; /* n sentences or NULL, allocated at the first read */
    Py_ssize_t n;
} StoredObject;

static PyTypeObject StoredType;

static PyObject *stored_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *text, *spans;
    static char *names[] = {"text", "spans", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "UO!", names, &text, &PyBytes_Type, &spans))
        return NULL;
    if (PyBytes_GET_SIZE(spans) % (2 * (Py_ssize_t)sizeof(int32_t))) {
        PyErr_SetString(PyExc_ValueError, "spans must be pairs of int32");
        return NULL;
    }
    StoredObject *self = (StoredObject *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    self->text = Py_NewRef(text);
    self->spans = Py_NewRef(spans);
    self->made = NULL;
    self->n = PyBytes_GET_SIZE(spans) / (2 * (Py_ssize_t)sizeof(int32_t));
    return (PyObject *)self;
}

static void stored_dealloc(StoredObject *self)
{
    if (self->made) {
        for (Py_ssize_t i = 0; i < self->n; i++)
            Py_XDECREF(self->made[i]);
        PyMem_Free(self->made);
    }
    Py_XDECREF(self->text);
    Py_XDECREF(self->spans);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t stored_length(StoredObject *self)
{
    return self->n;
}

/* Sentence i (0 <= i < n), a new reference: made once. */
static PyObject *stored_make(StoredObject *self, Py_ssize_t i)
{
    if (self->made && self->made[i])
        return Py_NewRef(self->made[i]);
    if (!span_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_sentence_types was not called");
        return NULL;
    }
    if (!self->made && !(self->made = PyMem_Calloc((size_t)self->n, sizeof(PyObject *))))
        return PyErr_NoMemory();
    int32_t s, e;
    const char *at = PyBytes_AS_STRING(self->spans) + 2 * sizeof(int32_t) * i;
    memcpy(&s, at, 4);
    memcpy(&e, at + 4, 4);
    PyObject *a = PyLong_FromLong(s), *b = PyLong_FromLong(e), *body = NULL;
    if (a && b) {
        if (0 <= s && s <= e && e <= PyUnicode_GET_LENGTH(self->text))
            body = PyUnicode_Substring(self->text, s, e);
        else { /* a span out of range: text[a:b] as Python slices it */
            PyObject *cut = PySlice_New(a, b, NULL);
            body = cut ? PyObject_GetItem(self->text, cut) : NULL;
            Py_XDECREF(cut);
        }
    }
    PyObject *index = body ? PyLong_FromSsize_t(i) : NULL;
    PyObject *span = index ? span_type->tp_alloc(span_type, 0) : NULL;
    PyObject *sentence = span ? sentence_type->tp_alloc(sentence_type, 0) : NULL;
    if (!sentence) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(body);
        Py_XDECREF(index);
        Py_XDECREF(span);
        return NULL;
    }
    SLOT(span, span_start) = a;
    SLOT(span, span_end) = b;
    SLOT(sentence, sentence_span) = span;
    SLOT(sentence, sentence_index) = index;
    SLOT(sentence, sentence_text) = body;
    self->made[i] = sentence;
    return Py_NewRef(sentence);
}

static PyObject *stored_item(StoredObject *self, Py_ssize_t i)
{
    if (i < 0 || i >= self->n) {
        PyErr_SetString(PyExc_IndexError, "sentence index out of range");
        return NULL;
    }
    return stored_make(self, i);
}

static PyObject *stored_subscript(StoredObject *self, PyObject *key)
{
    if (PyIndex_Check(key)) {
        Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred())
            return NULL;
        return stored_item(self, i < 0 ? i + self->n : i);
    }
    if (!PySlice_Check(key)) {
        PyErr_Format(PyExc_TypeError, "sentence indices must be integers or slices, not %.200s",
                     Py_TYPE(key)->tp_name);
        return NULL;
    }
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(key, &start, &stop, &step) < 0)
        return NULL;
    Py_ssize_t count = PySlice_AdjustIndices(self->n, &start, &stop, step);
    PyObject *out = PyList_New(count);
    for (Py_ssize_t k = 0; out && k < count; k++) {
        PyObject *item = stored_make(self, start + k * step);
        if (!item)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, item);
    }
    return out;
}

static PyObject *stored_richcompare(PyObject *self, PyObject *other, int op)
{
    if ((op != Py_EQ && op != Py_NE)
        || !(PyList_Check(other) || Py_IS_TYPE(other, &StoredType)))
        Py_RETURN_NOTIMPLEMENTED;
    PyObject *a = PySequence_List(self), *b = a ? PySequence_List(other) : NULL;
    PyObject *out = b ? PyObject_RichCompare(a, b, op) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return out;
}

static PyObject *stored_repr(PyObject *self)
{
    PyObject *items = PySequence_List(self);
    if (!items)
        return NULL;
    PyObject *out = PyUnicode_FromFormat("StoredSentences(%R)", items);
    Py_DECREF(items);
    return out;
}

static PyObject *stored_reduce(StoredObject *self, PyObject *unused)
{
    return Py_BuildValue("O(OO)", (PyObject *)Py_TYPE(self), self->text, self->spans);
}

static PyMemberDef stored_members[] = {
    {"text", T_OBJECT, offsetof(StoredObject, text), READONLY, "The document's text."},
    {"spans", T_OBJECT, offsetof(StoredObject, spans), READONLY, "The stored span bytes."},
    {NULL},
};

static PyMethodDef stored_methods[] = {
    {"__reduce__", (PyCFunction)stored_reduce, METH_NOARGS, NULL},
    {NULL},
};

static PySequenceMethods stored_as_sequence = {
    .sq_length = (lenfunc)stored_length,
    .sq_item = (ssizeargfunc)stored_item,
};

static PyMappingMethods stored_as_mapping = {
    .mp_length = (lenfunc)stored_length,
    .mp_subscript = (binaryfunc)stored_subscript,
};

static PyTypeObject StoredType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "unspun._speedups.StoredSentences",
    .tp_basicsize = sizeof(StoredObject),
    .tp_dealloc = (destructor)stored_dealloc,
    .tp_repr = stored_repr,
    .tp_as_sequence = &stored_as_sequence,
    .tp_as_mapping = &stored_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_SEQUENCE,
    .tp_doc = "A document's sentences at its stored spans, each made on first read.",
    .tp_richcompare = stored_richcompare,
    .tp_methods = stored_methods,
    .tp_members = stored_members,
    .tp_new = stored_new,
};

/* ------------------------------------------------------------------ split_lines */

/* unspun.clean.lines.Line (a slotted dataclass) and where its slots are. */
static PyTypeObject *line_type;
static Py_ssize_t line_slots[7];
static const char *LINE_FIELDS[7] = {"index", "para", "start", "end", "text", "folded", "norm"};

/* set_line_type(Line): the class split_lines makes. */
static PyObject *set_line_type(PyObject *self, PyObject *arg)
{
    if (!PyType_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "Line must be a class");
        return NULL;
    }
    Py_ssize_t slots[7];
    for (int k = 0; k < 7; k++)
        if (slot_offset((PyTypeObject *)arg, LINE_FIELDS[k], &slots[k]) < 0)
            return NULL;
    memcpy(line_slots, slots, sizeof(slots));
    Py_INCREF(arg);
    Py_XSETREF(line_type, (PyTypeObject *)arg);
    Py_RETURN_NONE;
}

/* split_lines(text, spaces_only, fold, norm) -> [Line, ...]: text's non-blank lines as
 * unspun.clean.lines.split_lines makes them. ``fold`` (fold_whitespace) folds a line that
 * may hold other whitespace or a double space; ``norm`` (quotes folded, casefolded) is called
 * for a folded line beyond ASCII, whose casefold is its ASCII lower case otherwise. */
static PyObject *split_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *fold, *norm;
    int spaces_only;
    if (!PyArg_ParseTuple(args, "UpOO", &text, &spaces_only, &fold, &norm))
        return NULL;
    if (!line_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_line_type was not called");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), pos = 0, para = 0;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    int blank_since_last = 0;
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    while (pos <= len) {
        Py_ssize_t nl = next_newline(t, pos, len), s = pos, e = nl;
        while (s < e && Py_UNICODE_ISSPACE(AT(t, s)))
            s++;
        while (e > s && Py_UNICODE_ISSPACE(AT(t, e - 1)))
            e--;
        pos = nl + 1;
        if (s == e) {
            blank_since_last = 1;
            continue;
        }
        if (blank_since_last && PyList_GET_SIZE(out))
            para++;
        blank_since_last = 0;
        int doubled = 0;
        for (Py_ssize_t i = s; i + 1 < e && !doubled; i++)
            doubled = AT(t, i) == ' ' && AT(t, i + 1) == ' ';
        PyObject *body = PyUnicode_Substring(text, s, e), *folded = NULL, *low = NULL;
        if (!body)
            goto fail;
        if (spaces_only && !doubled) {
            folded = Py_NewRef(body);
        } else {
            folded = PyObject_CallOneArg(fold, body);
            if (folded && !PyUnicode_Check(folded)) {
                PyErr_SetString(PyExc_TypeError, "fold must return str");
                Py_CLEAR(folded);
            }
        }
        if (folded && PyUnicode_IS_ASCII(folded)) {
            Py_ssize_t n = PyUnicode_GET_LENGTH(folded);
            const Py_UCS1 *f = PyUnicode_1BYTE_DATA(folded);
            low = PyUnicode_New(n, 127);
            if (low) {
                Py_UCS1 *w = PyUnicode_1BYTE_DATA(low);
                for (Py_ssize_t i = 0; i < n; i++)
                    w[i] = f[i] >= 'A' && f[i] <= 'Z' ? f[i] + ('a' - 'A') : f[i];
            }
        } else if (folded) {
            low = PyObject_CallOneArg(norm, folded);
        }
        PyObject *line = low ? line_type->tp_alloc(line_type, 0) : NULL;
        PyObject *index = PyLong_FromSsize_t(PyList_GET_SIZE(out));
        PyObject *p = PyLong_FromSsize_t(para), *a = PyLong_FromSsize_t(s);
        PyObject *z = PyLong_FromSsize_t(e);
        if (!line || !index || !p || !a || !z) {
            Py_XDECREF(line);
            Py_XDECREF(index);
            Py_XDECREF(p);
            Py_XDECREF(a);
            Py_XDECREF(z);
            Py_DECREF(body);
            Py_XDECREF(folded);
            Py_XDECREF(low);
            goto fail;
        }
        PyObject *values[7] = {index, p, a, z, body, folded, low};
        for (int k = 0; k < 7; k++)
            SLOT(line, line_slots[k]) = values[k];  /* the references are the line's */
        int bad = PyList_Append(out, line) < 0;
        Py_DECREF(line);
        if (bad)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ kernel_fill */

/* An integer of a 2-, 4- or 8-byte signed buffer. */
static inline int64_t int_at(const Py_buffer *b, Py_ssize_t k)
{
    switch (b->itemsize) {
    case 2: return ((const int16_t *)b->buf)[k];
    case 4: return ((const int32_t *)b->buf)[k];
    default: return ((const int64_t *)b->buf)[k];
    }
}

/* Whether a buffer holds signed integers of 2, 4 or 8 bytes. */
static int signed_ints(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (*f == '@' || *f == '=' || *f == '<')
        f++;
    return (b->itemsize == 2 || b->itemsize == 4 || b->itemsize == 8) && f[1] == 0
           && strchr("hilqn", *f) != NULL;
}

/* Whether a weight is a multiple of 1/1024 in [0, 2^13]: sums of such weights that stay
 * under 2^13 are exact in float32, in any order, so the sums below equal a BLAS product's. */
static inline int exact_weight(float w)
{
    float s = w * 1024.0f;
    return w >= 0.0f && w <= 8192.0f && s == (float)(int32_t)s;
}

/* kernel_fill(a, a_out, a_tot, out_tot, entries, rows, weights, totals, table,
 *             b, contain, dice, contain_out, covered) -> bool
 * The kernel of n suspect sentences (a, a_out: n x v float32 rows; a_tot, out_tot: their
 * sums) with m source sentences given flat (entry k: row rows[k], weight weights[k], word
 * entries[k]; totals: the m row sums). ``table`` None: entries are the suspect's columns
 * (-1: not its word); else entries are word ids and table (int32) the suspect's column of
 * each id (-1, or an id past its end: not its word). Writes b (m x v, zeroed by the
 * caller) and the four n x m matrices. False, with the outputs undefined, when a weight or
 * a sum is not exact (see exact_weight): the caller then computes them as numpy does. */
static PyObject *kernel_fill(PyObject *self, PyObject *args)
{
    Py_buffer ab, ob, atb, otb, eb = {0}, rb = {0}, wb, tb, kb = {0};
    Py_buffer bb, cb, db, cob, cvb;
    PyObject *entries, *rows, *table, *result = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*y*OOy*y*Ow*w*w*w*w*", &ab, &ob, &atb, &otb, &entries,
                          &rows, &wb, &tb, &table, &bb, &cb, &db, &cob, &cvb))
        return NULL;
    int lookup = table != Py_None;
    double *src = NULL, *sum = NULL;
    int64_t *hits = NULL;
    Py_ssize_t *at_col = NULL;  /* where each column's hits start in hit_row / hit_w */
    int32_t *hit_row = NULL;
    float *hit_w = NULL;
    /* PyBUF_FORMAT: the integers' true item size (a simple buffer says 1). */
    if (PyObject_GetBuffer(entries, &eb, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(rows, &rb, PyBUF_FORMAT) < 0
            || (lookup && PyObject_GetBuffer(table, &kb, PyBUF_FORMAT) < 0))
        goto done;
    Py_ssize_t n = atb.len / 4, m = tb.len / 4, e = wb.len / 4;
    Py_ssize_t v = n ? ab.len / 4 / n : 0, nk = lookup ? kb.len / 4 : 0;
    if (!signed_ints(&eb) || !signed_ints(&rb)
            || ab.len != 4 * n * v || ob.len != ab.len || otb.len != atb.len
            || eb.len != e * eb.itemsize || rb.len != e * rb.itemsize
            || bb.len != 4 * m * v || cb.len != 4 * n * m || db.len != cb.len
            || cob.len != cb.len || cvb.len != cb.len
            || (lookup && (!signed_ints(&kb) || kb.itemsize != 4))) {
        PyErr_SetString(PyExc_ValueError, "bad kernel_fill arguments");
        goto done;
    }
    const float *a = ab.buf, *ao = ob.buf, *at = atb.buf, *ot = otb.buf, *w = wb.buf;
    const float *bt = tb.buf;
    float *b = bb.buf, *contain = cb.buf, *dice = db.buf, *cout = cob.buf, *cov = cvb.buf;
    const int32_t *cols = lookup ? kb.buf : NULL;
    /* Exact: every weight summed below (the suspect's where a source word meets it) is,
     * and so is every sum (checked at the end); a product with an absent word is 0 for BLAS
     * too, unless a suspect weight is not finite (then neither is its row's sum). */
    int exact = 1;
    for (Py_ssize_t i = 0; i < n && exact; i++)
        exact = isfinite(at[i]) && isfinite(ot[i]);
    /* Three sums per (suspect, source) sentence: matched, matched outside quotes, and the
     * source weight the suspect sentence has; plus each source row's weight. */
    src = PyMem_Calloc(3 * n * m + 1, sizeof(double));
    sum = PyMem_Calloc(m + 1, sizeof(double));
    hits = PyMem_Malloc((e + 1) * sizeof(int64_t));  /* the entries the suspect has */
    at_col = PyMem_Calloc(v + 2, sizeof(Py_ssize_t));
    hit_row = PyMem_Malloc((e + 1) * sizeof(int32_t));
    hit_w = PyMem_Malloc((e + 1) * sizeof(float));
    if (!src || !sum || !hits || !at_col || !hit_row || !hit_w) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t nh = 0;
    for (Py_ssize_t k = 0; k < e && exact; k++) {
        int64_t r = int_at(&rb, k), col = int_at(&eb, k);
        if (r < 0 || r >= m) {
            PyErr_SetString(PyExc_ValueError, "kernel_fill row out of range");
            goto done;
        }
        float wk = w[k];
        exact = exact_weight(wk);
        sum[r] += wk;
        if (lookup)
            col = col >= 0 && col < nk ? cols[col] : -1;
        if (col < 0)
            continue;
        if (col >= v) {
            PyErr_SetString(PyExc_ValueError, "kernel_fill column out of range");
            goto done;
        }
        b[r * v + col] = wk;
        if (wk > 0.0f) {
            hits[nh++] = k << 32 | col;  /* k < 2^31: a buffer of floats holds fewer */
            at_col[col + 2]++;
        }
    }
    /* The hits grouped by column (a counting sort), so that each suspect sentence meets only
     * the source entries of its own words: its few words, not every hit, per sentence. */
    for (Py_ssize_t c = 2; c < v + 2; c++)
        at_col[c] += at_col[c - 1];
    for (Py_ssize_t h = 0; h < nh && exact; h++) {
        Py_ssize_t k = (Py_ssize_t)(hits[h] >> 32), col = (Py_ssize_t)(hits[h] & 0xFFFFFFFF);
        Py_ssize_t p = at_col[col + 1]++;
        hit_row[p] = (int32_t)int_at(&rb, k);
        hit_w[p] = w[k];
    }
    for (Py_ssize_t i = 0; i < n && exact; i++) {
        const float *ai = a + i * v, *aoi = ao + i * v;
        double *si = src + 3 * i * m;
        for (Py_ssize_t c = 0; c < v; c++) {
            float x = ai[c], y = aoi[c];
            Py_ssize_t lo = at_col[c], hi = at_col[c + 1];
            if ((x == 0.0f && y == 0.0f) || lo == hi)
                continue;
            if (!exact_weight(x) || !exact_weight(y)) {
                exact = 0;
                break;
            }
            for (Py_ssize_t p = lo; p < hi; p++) {
                double *s = si + 3 * hit_row[p];
                s[0] += x;
                s[1] += y;
                if (x > 0.0f)
                    s[2] += hit_w[p];
            }
        }
    }
    for (Py_ssize_t j = 0; j < m && exact; j++)
        exact = sum[j] <= 8192.0;
    /* The sums are checked (each at most 2^13) in the pass that writes the outputs: a
     * pass of its own over the 3 n m sums was a seventh of this function's time. */
    if (exact) {
        int bad = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            for (Py_ssize_t j = 0; j < m; j++) {
                const double *s = src + 3 * (i * m + j);
                bad |= (s[0] > 8192.0) | (s[1] > 8192.0) | (s[2] > 8192.0);
                float matched = (float)s[0], out = (float)s[1], seen = (float)s[2];
                float den = at[i] + bt[j];
                Py_ssize_t x = i * m + j;
                contain[x] = at[i] > 0.0f ? matched / at[i] : 0.0f;
                dice[x] = den > 0.0f ? 2.0f * matched / den : 0.0f;
                cout[x] = ot[i] > 0.0f ? out / ot[i] : 0.0f;
                cov[x] = bt[j] > 0.0f ? seen / bt[j] : 0.0f;
            }
        exact = !bad;
    }
    result = PyBool_FromLong(exact);
done:
    PyMem_Free(src);
    PyMem_Free(sum);
    PyMem_Free(hits);
    PyMem_Free(at_col);
    PyMem_Free(hit_row);
    PyMem_Free(hit_w);
    PyBuffer_Release(&ab);
    PyBuffer_Release(&ob);
    PyBuffer_Release(&atb);
    PyBuffer_Release(&otb);
    if (eb.obj)
        PyBuffer_Release(&eb);
    if (rb.obj)
        PyBuffer_Release(&rb);
    PyBuffer_Release(&wb);
    PyBuffer_Release(&tb);
    if (kb.obj)
        PyBuffer_Release(&kb);
    PyBuffer_Release(&bb);
    PyBuffer_Release(&cb);
    PyBuffer_Release(&db);
    PyBuffer_Release(&cob);
    PyBuffer_Release(&cvb);
    return result;
}

/* ------------------------------------------------------------------ block_search */

/* The ``width``-bit value (width <= 57) at bit ``bit`` of ``buf``, as Segment._read reads
 * it: the little-endian 8 bytes from byte bit / 8, shifted right by bit % 8. */
static inline int64_t packed_at(const unsigned char *buf, int64_t bit, int64_t width)
{
    uint64_t word;
    memcpy(&word, buf + (bit >> 3), 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return (int64_t)((word >> (bit & 7)) & ((UINT64_C(1) << width) - 1));
}

static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

enum { P_ANCHOR, P_AW, P_FIRST, P_LAST, P_GROUPS, P_LENS, P_KW, P_BASE, P_GROUP, P_KEY, NP };

/* The rank in its block (described by ``p``, NP values) of key ``q``'s first posting
 * (``right``: past its last) in ``buf``, whose last readable word starts at byte ``limit``:
 * Segment._search's two bisections on the same midpoints. -1 when a value would be read
 * outside the buffer. */
static int rank_in_block(const unsigned char *buf, int64_t limit, const int64_t *p, int64_t q,
                         int right, int64_t *rank)
{
    int64_t groups = p[P_GROUPS], aw = p[P_AW], kw = p[P_KW];
    if (groups < 1 || groups > 16 || aw < 0 || aw > 57 || kw < 0 || kw > 57
            || p[P_LENS] < 1 || p[P_LENS] > (groups << 6) || p[P_ANCHOR] < 0
            || p[P_BASE] < 0 || p[P_GROUP] < 0 || p[P_KEY] < 0
            || ((p[P_ANCHOR] + (groups - 1) * aw) >> 3) > limit
            || ((p[P_BASE] + groups * kw) >> 3) > limit
            || ((p[P_GROUP] + groups * 10) >> 3) > limit)
        return -1;
#define ANCHOR(g) ((g) == 0 ? p[P_FIRST] : (g) >= groups ? p[P_LAST] \
                   : p[P_FIRST] + packed_at(buf, p[P_ANCHOR] + ((g) - 1) * aw, aw))
#define BEFORE(v) (right ? (v) <= q : (v) < q)
    int64_t lo = 1, hi = groups;
    while (lo < hi) {
        int64_t mid = (lo + hi) >> 1;
        if (BEFORE(ANCHOR(mid)))
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t group = lo - 1 > 0 ? lo - 1 : 0, start = group << 6;
    int64_t anchor = ANCHOR(group), following = ANCHOR(group + 1);
    int64_t divisor = p[P_LENS] - start < 64 ? p[P_LENS] - start : 64;
    int64_t base = packed_at(buf, p[P_BASE] + group * kw, kw);
    int64_t at = p[P_GROUP] + group * 10;
    int64_t end = packed_at(buf, at, 10), begin = group > 0 ? packed_at(buf, at - 10, 10) : 0;
    int64_t width = end - begin;
    int64_t value_bit = p[P_KEY] + begin * 64 - start * width;
    if (width < 0 || width > 57 || value_bit + start * width < 0
            || ((value_bit + (start + divisor - 1) * width) >> 3) > limit)
        return -1;
    lo = start;
    hi = start + divisor;
    while (lo < hi) {
        int64_t mid = (lo + hi) >> 1;
        int64_t key = anchor + floor_div((mid - start) * (following - anchor), divisor)
                      - base + packed_at(buf, value_bit + mid * width, width);
        if (BEFORE(key))
            lo = mid + 1;
        else
            hi = mid;
    }
#undef ANCHOR
#undef BEFORE
    *rank = lo;
    return 0;
}

/* block_search(buf, params, queries, right) -> bytearray of int64 ranks
 * Segment._search (numpy) for each query i within its block, described by row i of
 * ``params`` (int64, NP columns in the order of the enum above: bit offsets into ``buf``
 * and widths from the block's layout): the rank of the query's first key (``right``:
 * past its last key). The same two bisections on the same midpoints, so the same answer
 * on any bytes; ValueError when a value would be read past the buffer (the caller then
 * searches with numpy, which raises as it always did). */
static PyObject *block_search(PyObject *self, PyObject *args)
{
    Py_buffer bb, pb, qb;
    int right;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*p", &bb, &pb, &qb, &right))
        return NULL;
    Py_ssize_t n = qb.len / 8;
    const unsigned char *buf = bb.buf;
    const int64_t *par = pb.buf, *query = qb.buf;
    /* A read at byte b takes bytes b .. b+7: in range when b <= limit. */
    int64_t limit = (int64_t)bb.len - 8;
    if (qb.len % 8 || pb.len != n * NP * 8) {
        PyErr_SetString(PyExc_ValueError, "bad block_search arguments");
        goto done;
    }
    result = PyByteArray_FromStringAndSize(NULL, n * 8);
    if (!result)
        goto done;
    int64_t *out = (int64_t *)PyByteArray_AS_STRING(result);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (rank_in_block(buf, limit, par + i * NP, query[i], right, &out[i]) < 0)
            goto bad;
    }
    goto done;
bad:
    Py_CLEAR(result);
    PyErr_SetString(PyExc_ValueError, "a block_search read falls outside the buffer");
done:
    PyBuffer_Release(&bb);
    PyBuffer_Release(&pb);
    PyBuffer_Release(&qb);
    return result;
}

/* ------------------------------------------------------------------ pread_runs */

/* pread_runs(fd, buf, runs) -> None
 * Fill ``buf`` from file ``fd``: ``runs`` (int64, flat triples: offset in buf, offset in
 * the file, length) with one pread each, the loop of Segment._copy_blocks without a
 * Python call per run. OSError on a failed read, EOFError on a short one. */
static PyObject *pread_runs(PyObject *self, PyObject *args)
{
    Py_buffer bb, rb;
    int fd;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "iw*y*", &fd, &bb, &rb))
        return NULL;
    const int64_t *run = rb.buf;
    Py_ssize_t n = rb.len / 24;
    if (rb.len % 24) {
        PyErr_SetString(PyExc_ValueError, "bad pread_runs arguments");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t at = run[3 * i], where = run[3 * i + 1], len = run[3 * i + 2];
        if (at < 0 || len < 0 || where < 0 || at + len > (int64_t)bb.len) {
            PyErr_SetString(PyExc_ValueError, "bad pread_runs arguments");
            goto done;
        }
        while (len > 0) {
            ssize_t got;
            Py_BEGIN_ALLOW_THREADS
            got = pread(fd, (char *)bb.buf + at, (size_t)len, (off_t)where);
            Py_END_ALLOW_THREADS
            if (got < 0) {
                if (errno == EINTR) {
                    if (PyErr_CheckSignals() < 0)
                        goto done;
                    continue;
                }
                PyErr_SetFromErrno(PyExc_OSError);
                goto done;
            }
            if (got == 0) {
                PyErr_SetString(PyExc_EOFError, "pread_runs: the file ends early");
                goto done;
            }
            at += got;
            where += got;
            len -= got;
        }
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&bb);
    PyBuffer_Release(&rb);
    return result;
}

/* ------------------------------------------------------------------ copy_lookup */

/* A block's row of copy_lookup's layout table: one cache line (Segment._table builds the
 * same record in numpy, field by field). */
typedef struct {
    int64_t start, end;              /* the block's bytes in the file */
    uint32_t first, last, dmin;      /* its first and last key, its smallest docno */
    uint32_t anchor, group, base, key, doc;  /* its sections' bit offsets from its start */
    uint16_t lens;                   /* postings */
    uint8_t groups, aw, kw, dw;      /* groups of 64 and the widths of its sections */
    uint16_t flines;                 /* its key filter's lines (0: no filter) */
    uint32_t fline;                  /* and the first of them */
    uint8_t pad[4];
} BlockRow;
_Static_assert(sizeof(BlockRow) == 64 && offsetof(BlockRow, lens) == 48
               && offsetof(BlockRow, dw) == 53 && offsetof(BlockRow, flines) == 54
               && offsetof(BlockRow, fline) == 56, "BlockRow must match segments._BLOCK_ROW");

/* keyfilter.mix: splitmix64's finaliser of a key. */
static inline uint64_t filter_mix(uint32_t key)
{
    uint64_t z = (uint64_t)key + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The word of the filter's line that keyfilter.maybe_present tests for key ``z`` (mixed)
 * in block row ``t``; -1 when the block has no filter or the line is outside the words. */
static inline int64_t filter_line(const BlockRow *t, uint64_t z, int64_t nwords)
{
    if (!t->flines)
        return -1;
    int64_t line = (int64_t)t->fline + (int64_t)(((z >> 32) * t->flines) >> 32);
    return line * 8 + 8 <= nwords ? line * 8 : -1;
}

/* keyfilter.maybe_present of one key: 0 only when the filter says it is absent. */
static inline int filter_maybe(const uint64_t *words, int64_t at, uint64_t z, int hashes)
{
    if (at < 0)
        return 1;
    for (int j = 0; j < hashes; j++) {
        unsigned bit = (unsigned)(z >> (9 * j)) & 511;
        if (!((words[at + (bit >> 6)] >> (bit & 63)) & 1))
            return 0;
    }
    return 1;
}
enum { SAMPLE = 32 };  /* blocks a value of copy_lookup's sample of last keys stands for */

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* What copy_lookup uses of a block it copies, gathered from the table and directory
 * once (their rows lie far apart in memory; these lie together): rank_in_block's
 * parameters rebased into the copy, the docno column's, the file offsets and the sum. */
typedef struct {
    int64_t p[NP], dw, doc, dmin, start, end;
    uint64_t sum;
    int verify;
} CopyRow;

/* The index of ``v`` in the ascending ``a`` of ``n`` values, or -1. */
static Py_ssize_t find_int64(const int64_t *a, Py_ssize_t n, int64_t v)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) >> 1;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == v ? lo : -1;
}

/* copy_lookup(fd, table, firsts, lasts, sample, sums, verified, digest, queries, max_df,
 *             previous) -> (rows, docs, df, blocks, at, buf) | int
 * Segment._lookup of a pread copy (max_df < BLOCK) in one call, the same steps as the
 * Python: each query's first and last block from the directory (``firsts`` and ``lasts``,
 * uint32, and ``sample``: lasts[min(SAMPLE * j + SAMPLE - 1, n - 1)] for each j, searched
 * first so that a search touches two cache lines of the directory, not a dozen), the blocks
 * of keys in one or two blocks copied from ``previous`` (the last call's blocks, at and
 * buf, or None) or read with one pread per run of neighbours, each block not yet
 * ``verified`` (bytes, set here) checked against ``sums`` (uint64) by ``digest`` (xxh3-64
 * of a memoryview), then the two bisections of rank_in_block and the docnos of the keys in
 * at most max_df documents. ``table`` holds the layout, a BlockRow a block (one cache line,
 * where the layout's columns were fourteen). Returns the
 * query rows (int64), docnos (uint32) and every query's df (int64) of Segment.lookup, and
 * the copy (blocks and their offsets, int64, and the bytes; None when no key was read); or
 * the number of the first block that fails its checksum. EOFError on a short read,
 * ValueError on a value outside the copy (the caller then runs the Python lookup, which
 * fails as it always did). */
static PyObject *copy_lookup(PyObject *self, PyObject *args)
{
    int fd;
    long long max_df;
    PyObject *digest, *previous, *result = NULL;
    PyObject *rows_out = NULL, *docs_out = NULL, *df_out = NULL, *blocks_out = NULL;
    PyObject *at_out = NULL, *buf_out = NULL;
    Py_buffer tb, fb, lb, smb, sb, vb, qb, prev[3];
    int nprev = 0;
    int64_t *first = NULL, *last = NULL, *left = NULL, *right = NULL, *blocks = NULL;
    int64_t *fline = NULL;
    Py_ssize_t *near = NULL;
    unsigned char *todo = NULL;
    CopyRow *info = NULL;
    PyObject *filter = Py_None;
    Py_buffer wb = {0};
    int hashes = 0;
    if (!PyArg_ParseTuple(args, "iy*y*y*y*y*w*Oy*LO|Oi", &fd, &tb, &fb, &lb, &smb, &sb, &vb,
                          &digest, &qb, &max_df, &previous, &filter, &hashes))
        return NULL;
    const uint64_t *fwords = NULL;
    int64_t nwords = 0;
    if (filter != Py_None) {
        if (PyObject_GetBuffer(filter, &wb, PyBUF_SIMPLE) < 0)
            goto done;
        fwords = wb.buf;
        nwords = wb.len / 8;
    }
    Py_ssize_t n = sb.len / 8, nq = qb.len / 4, ns = smb.len / 4;
    const uint64_t *sums = sb.buf;
    unsigned char *verified = vb.buf;
    const uint32_t *query = qb.buf, *firsts = fb.buf, *lasts = lb.buf, *sample = smb.buf;
    const BlockRow *table = tb.buf;
    if (vb.len != n || tb.len != n * (Py_ssize_t)sizeof(BlockRow) || fb.len != n * 4 || lb.len != n * 4
            || ns != (n + SAMPLE - 1) / SAMPLE || max_df >= 1024 || max_df < 0
            || (fwords && (hashes < 1 || hashes > 7 || wb.len % 64))) {
        PyErr_SetString(PyExc_ValueError, "bad copy_lookup arguments");
        goto done;
    }
    Py_ssize_t pn = 0;
    const int64_t *pblocks = NULL, *pat = NULL;
    const unsigned char *pbuf = NULL;
    if (previous != Py_None) {
        if (!PyTuple_Check(previous) || PyTuple_GET_SIZE(previous) != 3) {
            PyErr_SetString(PyExc_ValueError, "bad copy_lookup previous copy");
            goto done;
        }
        for (; nprev < 3; nprev++)
            if (PyObject_GetBuffer(PyTuple_GET_ITEM(previous, nprev), &prev[nprev],
                                   PyBUF_SIMPLE) < 0)
                goto done;
        pn = prev[0].len / 8;
        if (prev[1].len != (pn + 1) * 8) {
            PyErr_SetString(PyExc_ValueError, "bad copy_lookup previous copy");
            goto done;
        }
        pblocks = prev[0].buf;
        pat = prev[1].buf;
        pbuf = prev[2].buf;
    }
    df_out = PyByteArray_FromStringAndSize(NULL, nq * 8);
    first = PyMem_Malloc((nq + 1) * sizeof(int64_t));
    last = PyMem_Malloc((nq + 1) * sizeof(int64_t));
    near = PyMem_Malloc((nq + 1) * sizeof(Py_ssize_t));
    blocks = PyMem_Malloc((2 * nq + 1) * sizeof(int64_t));
    if (!df_out || !first || !last || !near || !blocks) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t *df = (int64_t *)PyByteArray_AS_STRING(df_out);
    /* _block_span: the first block whose last key is not below the query, the last block
     * whose first key is not above it. The sample first, for every query, asking for the
     * directory's lines each query will read next: ~1,000 cache misses overlap instead of
     * coming one after another. */
    for (Py_ssize_t i = 0; i < nq; i++) {
        int64_t q = query[i];
        Py_ssize_t lo = 0, hi = ns;
        while (lo < hi) {  /* the first sampled last key not below q */
            Py_ssize_t mid = (lo + hi) >> 1;
            if (sample[mid] < q)
                lo = mid + 1;
            else
                hi = mid;
        }
        first[i] = lo;
        if (lo < ns) {
            __builtin_prefetch(lasts + lo * SAMPLE);
            __builtin_prefetch(lasts + lo * SAMPLE + SAMPLE / 2);
            __builtin_prefetch(firsts + lo * SAMPLE);
            __builtin_prefetch(firsts + lo * SAMPLE + SAMPLE / 2);
        }
    }
    Py_ssize_t nn = 0, nb = 0;
    for (Py_ssize_t i = 0; i < nq; i++) {
        int64_t q = query[i];
        Py_ssize_t lo = first[i], hi;
        if (lo < ns) {  /* then the first last key not below q among its SAMPLE blocks */
            hi = lo * SAMPLE + SAMPLE - 1 < n ? lo * SAMPLE + SAMPLE - 1 : n - 1;
            lo *= SAMPLE;
            while (lo < hi) {
                Py_ssize_t mid = (lo + hi) >> 1;
                if (lasts[mid] < q)
                    lo = mid + 1;
                else
                    hi = mid;
            }
        } else {
            lo = n;
        }
        first[i] = lo;
        /* Blocks before the first end below q, so start below it: the last block starting
         * at or below q is the first or after it (after only for a key spanning blocks). */
        while (lo < n && firsts[lo] <= q && lo - first[i] < 4)
            lo++;
        if (lo < n && firsts[lo] <= q) {
            hi = n;
            while (lo < hi) {
                Py_ssize_t mid = (lo + hi) >> 1;
                if (firsts[mid] <= q)
                    lo = mid + 1;
                else
                    hi = mid;
            }
        }
        last[i] = lo - 1;
        int64_t span = last[i] - first[i] + 1;
        df[i] = span > 2 ? (span - 2) * 1024 + 1 : 0;
        if (fwords && span == 1)
            __builtin_prefetch(table + first[i]);
    }
    if (fwords) {  /* the line of each key in one block, asked for before any is tested */
        fline = PyMem_Malloc((nq + 1) * sizeof(int64_t));
        if (!fline) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < nq; i++) {
            fline[i] = last[i] == first[i]
                ? filter_line(&table[first[i]], filter_mix(query[i]), nwords) : -1;
            if (fline[i] >= 0)
                __builtin_prefetch(fwords + fline[i]);
        }
    }
    for (Py_ssize_t i = 0; i < nq; i++) {
        int64_t span = last[i] - first[i] + 1;
        /* A key its block's filter rejects is absent: df 0, as reading the block finds. */
        if (span > 0 && span <= 2
                && (!fline || filter_maybe(fwords, fline[i], filter_mix(query[i]), hashes))) {
            near[nn++] = i;
            blocks[nb++] = first[i];
            if (last[i] != first[i])
                blocks[nb++] = last[i];
        }
    }
    if (!nn) {
        rows_out = PyByteArray_FromStringAndSize(NULL, 0);
        docs_out = PyByteArray_FromStringAndSize(NULL, 0);
        if (rows_out && docs_out)
            result = PyTuple_Pack(6, rows_out, docs_out, df_out, Py_None, Py_None, Py_None);
        goto done;
    }
    qsort(blocks, (size_t)nb, sizeof(int64_t), cmp_int64);
    Py_ssize_t u = 0;
    for (Py_ssize_t i = 0; i < nb; i++)
        if (!u || blocks[u - 1] != blocks[i])
            blocks[u++] = blocks[i];
    nb = u;
    for (Py_ssize_t i = 0; i < nb; i++) {  /* the blocks' layout rows and checksums */
        __builtin_prefetch(table + blocks[i]);
        __builtin_prefetch(sums + blocks[i]);
        __builtin_prefetch(verified + blocks[i]);
    }
    blocks_out = PyByteArray_FromStringAndSize((const char *)blocks, nb * 8);
    at_out = PyByteArray_FromStringAndSize(NULL, (nb + 1) * 8);
    todo = PyMem_Malloc((size_t)nb + 1);
    info = PyMem_Malloc(((size_t)nb + 1) * sizeof(CopyRow));
    if (!blocks_out || !at_out || !todo || !info) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    int64_t *at = (int64_t *)PyByteArray_AS_STRING(at_out);
    at[0] = 0;
    for (Py_ssize_t i = 0; i < nb; i++) {
        int64_t b = blocks[i];
        const BlockRow *t = &table[b];
        CopyRow *r = &info[i];
        r->start = t->start;
        r->end = t->end;
        if (r->end < r->start || r->start < 0) {
            PyErr_SetString(PyExc_ValueError, "bad copy_lookup table");
            goto done;
        }
        at[i + 1] = at[i] + r->end - r->start;
        int64_t origin = at[i] * 8;  /* the block's first bit in the copy */
        int64_t p[NP] = {origin + t->anchor, t->aw, t->first, t->last, t->groups, t->lens,
                         t->kw, origin + t->base, origin + t->group, origin + t->key};
        memcpy(r->p, p, sizeof(p));
        r->dw = t->dw;
        r->doc = origin + t->doc;
        r->dmin = t->dmin;
        r->sum = sums[b];
        r->verify = !verified[b];
    }
    buf_out = PyByteArray_FromStringAndSize(NULL, at[nb] + 8);
    if (!buf_out)
        goto done;
    unsigned char *buf = (unsigned char *)PyByteArray_AS_STRING(buf_out);
    memset(buf + at[nb], 0, 8);  /* a word read at a block's last byte stays inside */
    /* The previous copy's blocks, copied; the others read, a run of neighbours at once. */
    for (Py_ssize_t i = 0; i < nb; i++) {
        Py_ssize_t j = pn ? find_int64(pblocks, pn, blocks[i]) : -1;
        int64_t size = at[i + 1] - at[i];
        todo[i] = j < 0 || pat[j] < 0 || pat[j] + size > prev[2].len;
        if (!todo[i])
            memcpy(buf + at[i], pbuf + pat[j], (size_t)size);
    }
    int failed = 0, saved = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < nb && !failed; ) {
        if (!todo[i]) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < nb && todo[j] && blocks[j] == blocks[j - 1] + 1
               && info[j].start == info[j - 1].end)
            j++;
        int64_t len = at[j] - at[i], where = info[i].start, into = at[i];
        while (len > 0) {
            ssize_t got = pread(fd, buf + into, (size_t)len, (off_t)where);
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                failed = 1;
                saved = errno;
                break;
            }
            if (got == 0) {
                failed = 2;
                break;
            }
            into += got;
            where += got;
            len -= got;
        }
        i = j;
    }
    Py_END_ALLOW_THREADS
    if (failed == 1) {
        errno = saved;
        PyErr_SetFromErrno(PyExc_OSError);
        goto done;
    }
    if (failed == 2) {
        PyErr_SetString(PyExc_EOFError, "copy_lookup: the file ends early");
        goto done;
    }
    /* Checksums of the blocks not verified before; marked only once all pass. */
    for (Py_ssize_t i = 0; i < nb; i++) {
        if (!info[i].verify)
            continue;
        PyObject *view = PyMemoryView_FromMemory((char *)buf + at[i], at[i + 1] - at[i],
                                                 PyBUF_READ);
        if (!view)
            goto done;
        PyObject *sum = PyObject_CallOneArg(digest, view);
        Py_DECREF(view);
        if (!sum)
            goto done;
        unsigned long long got = PyLong_AsUnsignedLongLong(sum);
        Py_DECREF(sum);
        if (got == (unsigned long long)-1 && PyErr_Occurred())
            goto done;
        if (got != info[i].sum) {
            result = PyLong_FromLongLong(blocks[i]);
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < nb; i++)
        verified[blocks[i]] = 1;
    /* Each key's first position and past its last (row * BLOCK + rank), and its postings. */
    left = PyMem_Malloc((nn + 1) * sizeof(int64_t));
    right = PyMem_Malloc((nn + 1) * sizeof(int64_t));
    if (!left || !right) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t limit = at[nb];  /* the last byte a word may start at: buf is at[nb] + 8 */
    for (Py_ssize_t i = 0; i < nb; i++) {  /* each block's anchors, group ends and bases */
        __builtin_prefetch(buf + at[i]);
        __builtin_prefetch(buf + at[i] + 64);
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t k = 0; k < nn; k++) {
        Py_ssize_t i = near[k];
        for (int side = 0; side < 2; side++) {
            Py_ssize_t row = find_int64(blocks, nb, side ? last[i] : first[i]);
            int64_t rank;
            if (rank_in_block(buf, limit, info[row].p, query[i], side, &rank) < 0)
                goto bad;
            (side ? right : left)[k] = row * 1024 + rank;
        }
        int64_t count = right[k] - left[k];
        df[i] = count;
        if (count > 0 && count <= max_df)
            total += count;
    }
    rows_out = PyByteArray_FromStringAndSize(NULL, total * 8);
    docs_out = PyByteArray_FromStringAndSize(NULL, total * 4);
    if (!rows_out || !docs_out)
        goto done;
    int64_t *rows = (int64_t *)PyByteArray_AS_STRING(rows_out);
    uint32_t *docs = (uint32_t *)PyByteArray_AS_STRING(docs_out);
    Py_ssize_t o = 0;
    for (Py_ssize_t k = 0; k < nn; k++) {
        int64_t count = right[k] - left[k];
        if (count <= 0 || count > max_df)
            continue;
        for (int64_t pos = left[k]; pos < right[k]; pos++) {
            int64_t row = pos >> 10, dw, bit;
            if (row < 0 || row >= nb)
                goto bad;
            dw = info[row].dw;
            bit = info[row].doc + (pos & 1023) * dw;
            if (dw < 0 || dw > 57 || bit < 0 || (bit >> 3) > limit)
                goto bad;
            rows[o] = near[k];
            docs[o++] = (uint32_t)(info[row].dmin + packed_at(buf, bit, dw));
        }
    }
    result = PyTuple_Pack(6, rows_out, docs_out, df_out, blocks_out, at_out, buf_out);
    goto done;
bad:
    PyErr_SetString(PyExc_ValueError, "a copy_lookup read falls outside the copy");
done:
    Py_XDECREF(rows_out);
    Py_XDECREF(docs_out);
    Py_XDECREF(df_out);
    Py_XDECREF(blocks_out);
    Py_XDECREF(at_out);
    Py_XDECREF(buf_out);
    PyMem_Free(first);
    PyMem_Free(last);
    PyMem_Free(near);
    PyMem_Free(blocks);
    PyMem_Free(todo);
    PyMem_Free(info);
    PyMem_Free(left);
    PyMem_Free(right);
    PyMem_Free(fline);
    if (wb.obj)
        PyBuffer_Release(&wb);
    PyBuffer_Release(&tb);
    PyBuffer_Release(&fb);
    PyBuffer_Release(&lb);
    PyBuffer_Release(&smb);
    for (int i = 0; i < nprev; i++)
        PyBuffer_Release(&prev[i]);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&vb);
    PyBuffer_Release(&qb);
    return result;
}

/* ------------------------------------------------------------------ single_spans */

/* explain.quotes._is_single_open: the mark at i opens a single-quoted passage. */
static int single_open(Text t, Py_ssize_t len, Py_ssize_t i)
{
    Py_UCS4 before = i > 0 ? AT(t, i - 1) : ' ', a[4];
    if (!(Py_UNICODE_ISSPACE(before) || before == '(' || before == '[' || before == '{'
          || before == 0x2014 || before == '-'))
        return 0;
    int n = 0;
    for (Py_ssize_t k = i + 1; k < i + 4 && k < len; k++)
        a[n++] = AT(t, k);
    if (!n || !Py_UNICODE_ISALNUM(a[0]))
        return 0;
    a[n++] = ' '; /* re.match(r"\d0s|em\b|til\b|cause\b|n\b", after + " ") is None */
#define WORD_CHAR(c) (Py_UNICODE_ISALNUM(c) || (c) == '_')
    if (n >= 3 && Py_UNICODE_ISDECIMAL(a[0]) && a[1] == '0' && a[2] == 's')
        return 0;
    if (n >= 3 && a[0] == 'e' && a[1] == 'm' && !WORD_CHAR(a[2]))
        return 0;
    if (n >= 4 && a[0] == 't' && a[1] == 'i' && a[2] == 'l' && !WORD_CHAR(a[3]))
        return 0;
    if (a[0] == 'n' && !WORD_CHAR(a[1])) /* "cause" cannot fit in four characters */
        return 0;
#undef WORD_CHAR
    return 1;
}

/* explain.quotes._is_single_close: the mark at j (> 0) closes one, in a region ending at hi. */
static int single_close(Text t, Py_ssize_t j, Py_ssize_t hi)
{
    Py_UCS4 before = AT(t, j - 1), after = j + 1 < hi ? AT(t, j + 1) : ' ';
    if (Py_UNICODE_ISALPHA(before) && Py_UNICODE_ISALPHA(after))
        return 0;
    if (Py_UNICODE_ISSPACE(before)) {
        Py_ssize_t p = j - 1;
        while (p >= 0 && Py_UNICODE_ISSPACE(AT(t, p)))
            p--;
        Py_UCS4 prev = p >= 0 ? AT(t, p) : 0;
        return (p < 0 || prev == ',' || prev == '.' || prev == '!' || prev == '?')
            && (Py_UNICODE_ISSPACE(after) || after == ',' || after == '.' || after == ';'
                || after == ':');
    }
    return Py_UNICODE_ISSPACE(after) || (after < 0x80 && after && strchr(",.;:!?)-", (int)after))
        || after == 0x2014;
}

/* single_spans(text, lo, hi, taken) -> list[list[Span]]: explain.quotes._single_groups of
 * [lo, hi) (one span a group, made as span_at makes it), taken being the double-quoted
 * Spans (0 <= lo, hi <= len(text)). */
static PyObject *single_spans(PyObject *self, PyObject *args)
{
    PyObject *text, *taken;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "UnnO!", &text, &lo, &hi, &PyList_Type, &taken))
        return NULL;
    if (!span_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_sentence_types was not called");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), nt = PyList_GET_SIZE(taken);
    if (lo < 0 || hi > len) {
        PyErr_SetString(PyExc_ValueError, "a region out of the text");
        return NULL;
    } /* lo > hi: no passage, as str.find finds no mark */
    for (Py_ssize_t k = 0; k < nt; k++)
        if (Py_TYPE(PyList_GET_ITEM(taken, k)) != span_type) {
            PyErr_SetString(PyExc_TypeError, "taken holds Spans only");
            return NULL;
        }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *out = PyList_New(0);
    /* The next ' and the next \u2018 (no other mark opens), each found by FindChar (a
     * memchr in most texts) as _single_groups finds them by str.find. */
    Py_ssize_t straight = -2, curly = -2;
    for (Py_ssize_t i = lo; out && i < hi; i++) {
        if (straight != -1 && straight < i)
            straight = PyUnicode_FindChar(text, '\'', i, hi, 1);
        if (curly != -1 && curly < i)
            curly = PyUnicode_FindChar(text, 0x2018, i, hi, 1);
        if (straight == -2 || curly == -2) {
            Py_CLEAR(out);
            return NULL;
        }
        if (straight == -1 && curly == -1)
            break;
        i = straight == -1 ? curly : curly == -1 ? straight : straight < curly ? straight : curly;
        if (!single_open(t, len, i))
            continue;
        int inside = 0;
        for (Py_ssize_t k = 0; k < nt && !inside; k++) {
            PyObject *span = PyList_GET_ITEM(taken, k);
            Py_ssize_t s = PyLong_AsSsize_t(SLOT(span, span_start));
            Py_ssize_t e = PyLong_AsSsize_t(SLOT(span, span_end));
            if (PyErr_Occurred()) {
                Py_CLEAR(out);
                return NULL;
            }
            inside = s - 1 <= i && i < e + 1;
        }
        if (inside)
            continue;
        Py_ssize_t limit = hi < i + 600 ? hi : i + 600; /* _MAX_SINGLE */
        limit = next_newline(t, i, limit);
        for (Py_ssize_t j = i + 1; j < limit; j++) {
            Py_UCS4 d = AT(t, j);
            if ((d != '\'' && d != 0x2018 && d != 0x2019) || !single_close(t, j, hi))
                continue;
            Py_ssize_t a = i + 1, b = j; /* trim(text, i + 1, j) */
            while (a < b && Py_UNICODE_ISSPACE(AT(t, a)))
                a++;
            while (b > a && Py_UNICODE_ISSPACE(AT(t, b - 1)))
                b--;
            Py_ssize_t k = a, space = -1;
            while (k < b && !Py_UNICODE_ISALNUM(AT(t, k)))
                k++;
            if (k < b)
                space = PyUnicode_FindChar(text, ' ', a, b, 1);
            if (space == -2) {
                Py_CLEAR(out);
                return NULL;
            }
            if (space >= 0) { /* [span_at(a, b)] */
                PyObject *pa = PyLong_FromSsize_t(a), *pb = PyLong_FromSsize_t(b), *group = NULL;
                PyObject *span = pa && pb ? span_type->tp_alloc(span_type, 0) : NULL;
                if (span) {
                    SLOT(span, span_start) = Py_NewRef(pa);
                    SLOT(span, span_end) = Py_NewRef(pb);
                    group = PyList_New(1);
                    if (group)
                        PyList_SET_ITEM(group, 0, Py_NewRef(span));
                }
                int bad = !group || PyList_Append(out, group) < 0;
                Py_XDECREF(pa);
                Py_XDECREF(pb);
                Py_XDECREF(span);
                Py_XDECREF(group);
                if (bad) {
                    Py_CLEAR(out);
                    return NULL;
                }
                i = j;
            }
            break;
        }
    }
    return out;
}

/* ------------------------------------------------------------------ span_groups */

/* span_groups(flat) -> list[list[Span]]: the groups of unspun.text.quotes.double_quote_groups
 * from quote_groups' flat list (each group's span count, then its starts and ends), each
 * span made as span_at makes it (set_sentence_types gives the class). */
static PyObject *span_groups(PyObject *self, PyObject *flat)
{
    if (!PyList_Check(flat)) {
        PyErr_SetString(PyExc_TypeError, "span_groups takes a list");
        return NULL;
    }
    if (!span_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_sentence_types was not called");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(flat), k = 0;
    PyObject *out = PyList_New(0);
    while (out && k < n) {
        Py_ssize_t m = PyLong_AsSsize_t(PyList_GET_ITEM(flat, k));
        if (m == -1 && PyErr_Occurred())
            goto fail;
        if (m < 0 || m > (n - k - 1) / 2) {
            PyErr_SetString(PyExc_ValueError, "a group runs past the list");
            goto fail;
        }
        PyObject *group = PyList_New(m);
        if (!group)
            goto fail;
        for (Py_ssize_t i = 0; i < m; i++) {
            PyObject *a = PyList_GET_ITEM(flat, k + 1 + 2 * i), *b = PyList_GET_ITEM(flat, k + 2 + 2 * i);
            Py_ssize_t s = PyLong_AsSsize_t(a), e = PyLong_AsSsize_t(b);
            if (PyErr_Occurred() || s < 0 || s > e) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "a bad span");
                Py_DECREF(group);
                goto fail;
            }
            PyObject *span = span_type->tp_alloc(span_type, 0);
            if (!span) {
                Py_DECREF(group);
                goto fail;
            }
            SLOT(span, span_start) = Py_NewRef(a);
            SLOT(span, span_end) = Py_NewRef(b);
            PyList_SET_ITEM(group, i, span);
        }
        int bad = PyList_Append(out, group) < 0;
        Py_DECREF(group);
        if (bad)
            goto fail;
        k += 1 + 2 * m;
    }
    return out;
fail:
    Py_XDECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ ascii_fold */

/* The characters beyond ASCII whose casefold holds an ASCII character (sources._TO_ASCII;
 * a test checks the list against every code point). */
static const Py_UCS4 TO_ASCII[] = {0xDF, 0x130, 0x149, 0x17F, 0x1F0, 0x1E96, 0x1E97, 0x1E98,
                                   0x1E99, 0x1E9A, 0x1E9E, 0x212A, 0xFB00, 0xFB01, 0xFB02,
                                   0xFB03, 0xFB04, 0xFB05, 0xFB06};

/* unspun.judge.sources._ascii_fold: the text's ASCII characters lowercased, each other
 * character one 0x80 byte; None when a character's casefold holds an ASCII character. An
 * ASCII word is in text.casefold() exactly when it is in these bytes. */
static PyObject *ascii_fold(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "ascii_fold takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *out = PyBytes_FromStringAndSize(NULL, n);
    if (!out)
        return NULL;
    char *buf = PyBytes_AS_STRING(out);
    if (PyUnicode_IS_ASCII(text)) {
        const unsigned char *d = t.data;
        for (Py_ssize_t i = 0; i < n; i++)
            buf[i] = (char)(d[i] >= 'A' && d[i] <= 'Z' ? d[i] + 32 : d[i]);
        return out;
    }
    if (t.kind == PyUnicode_1BYTE_KIND) { /* Latin-1: only U+00DF folds to ASCII */
        const unsigned char *d = t.data;
        for (Py_ssize_t i = 0; i < n; i++) {
            unsigned char c = d[i];
            if (c == 0xDF) {
                Py_DECREF(out);
                Py_RETURN_NONE;
            }
            buf[i] = (char)(c >= 0x80 ? 0x80 : c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return out;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = AT(t, i);
        if (c < 0x80) {
            buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        if (c >= 0xDF && c <= 0xFB06)
            for (size_t k = 0; k < sizeof TO_ASCII / sizeof TO_ASCII[0]; k++)
                if (c == TO_ASCII[k]) {
                    Py_DECREF(out);
                    Py_RETURN_NONE;
                }
        buf[i] = (char)0x80;
    }
    return out;
}

/* ------------------------------------------------------------------ ascii_screen */

/* A character's byte in _ascii_fold. */
static inline unsigned char fold_char(Py_UCS4 c)
{
    return (unsigned char)(c >= 0x80 ? 0x80 : c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* Whether the text holds a character of TO_ASCII (its _ascii_fold is None). */
static int has_to_ascii(Text t, Py_ssize_t n)
{
    if (t.kind == PyUnicode_1BYTE_KIND)
        return memchr(t.data, 0xDF, (size_t)n) != NULL;
    Py_ssize_t i = 0;
#if defined(__SSE2__)
    if (t.kind == PyUnicode_2BYTE_KIND) { /* skip blocks of 8 with no character past 0xDE */
        const Py_UCS2 *d = t.data;
        const __m128i low = _mm_set1_epi16(0xDE), zero = _mm_setzero_si128();
        for (; i + 8 <= n; i += 8) {
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i));
            if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_subs_epu16(x, low), zero)) == 0xFFFF)
                continue;
            for (Py_ssize_t j = i; j < i + 8; j++)
                if (d[j] > 0xDE)
                    for (size_t k = 0; k < sizeof TO_ASCII / sizeof TO_ASCII[0]; k++)
                        if (d[j] == TO_ASCII[k])
                            return 1;
        }
    }
#endif
    for (; i < n; i++) {
        Py_UCS4 c = AT(t, i);
        if (c >= 0xDF && c <= 0xFB06)
            for (size_t k = 0; k < sizeof TO_ASCII / sizeof TO_ASCII[0]; k++)
                if (c == TO_ASCII[k])
                    return 1;
    }
    return 0;
}

/* Whether the m-byte word (m >= 1) is in the text's fold from position i. */
static inline int fold_at(Text t, Py_ssize_t i, const unsigned char *w, Py_ssize_t m)
{
    for (Py_ssize_t j = 0; j < m; j++)
        if (fold_char(AT(t, i + j)) != w[j])
            return 0;
    return 1;
}

#if defined(__SSE2__)
/* 16 characters from position i as bytes: an ASCII character gives itself, any other a byte
 * that is not ASCII or is 0 (UCS-2 through packus). */
static inline __m128i bytes16(Text t, Py_ssize_t i)
{
    if (t.kind == PyUnicode_1BYTE_KIND)
        return _mm_loadu_si128((const __m128i *)((const Py_UCS1 *)t.data + i));
    const Py_UCS2 *d = (const Py_UCS2 *)t.data + i;
    return _mm_packus_epi16(_mm_loadu_si128((const __m128i *)d),
                            _mm_loadu_si128((const __m128i *)(d + 8)));
}

/* Where those bytes fold to the ASCII byte c (not a capital): c, or its capital. */
static inline __m128i folds_to(__m128i x, __m128i c, __m128i cap)
{
    return _mm_or_si128(_mm_cmpeq_epi8(x, c), _mm_cmpeq_epi8(x, cap));
}
#endif

/* Whether the word is in the text's fold. Where the word's first and last bytes are ASCII
 * and not capitals (a fold holds no capital), 16 positions are screened at once on those two
 * bytes (SSE2), and only positions passing are compared in full. */
static int fold_find(Text t, Py_ssize_t n, const unsigned char *w, Py_ssize_t m)
{
    if (m == 0)
        return 1;
    Py_ssize_t i = 0, last = n - m; /* the last start */
#if defined(__SSE2__)
    unsigned char a = w[0], z = w[m - 1];
    if (t.kind != PyUnicode_4BYTE_KIND && a < 0x80 && z < 0x80 && !(a >= 'A' && a <= 'Z')
        && !(z >= 'A' && z <= 'Z')) {
        __m128i fa = _mm_set1_epi8((char)a), fz = _mm_set1_epi8((char)z);
        __m128i ca = _mm_set1_epi8((char)(a >= 'a' && a <= 'z' ? a - 32 : a));
        __m128i cz = _mm_set1_epi8((char)(z >= 'a' && z <= 'z' ? z - 32 : z));
        for (; i + 15 <= last; i += 16) {
            unsigned bits = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(folds_to(bytes16(t, i), fa, ca),
                              folds_to(bytes16(t, i + m - 1), fz, cz)));
            while (bits) {
                if (fold_at(t, i + __builtin_ctz(bits), w, m))
                    return 1;
                bits &= bits - 1;
            }
        }
    }
#endif
    for (; i <= last; i++)
        if (fold_at(t, i, w, m))
            return 1;
    return 0;
}

/* unspun.judge.sources._ascii_screen: for each text one byte, 1 when the word is in its
 * _ascii_fold or the fold is None (a text to screen otherwise), else 0. ``known`` (a
 * bytearray as long as texts, or None) keeps whether each text's fold is None across calls
 * (0 not known yet, 1 it is not, 2 it is), so that a text is scanned for those characters
 * once however many words are looked for in it. */
static PyObject *ascii_screen(PyObject *self, PyObject *args)
{
    PyObject *texts, *known = Py_None;
    Py_buffer wb;
    if (!PyArg_ParseTuple(args, "O!y*|O", &PyList_Type, &texts, &wb, &known))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(texts);
    char *seen = NULL;
    if (known != Py_None) {
        if (!PyByteArray_Check(known) || PyByteArray_GET_SIZE(known) != count) {
            PyErr_SetString(PyExc_ValueError, "known must be a bytearray as long as texts");
            PyBuffer_Release(&wb);
            return NULL;
        }
        seen = PyByteArray_AS_STRING(known);
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, count);
    for (Py_ssize_t k = 0; out && k < count; k++) {
        PyObject *text = PyList_GET_ITEM(texts, k);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "ascii_screen takes a list of str");
            Py_CLEAR(out);
            break;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
        int hit = fold_find(t, n, wb.buf, wb.len);
        if (!hit && !PyUnicode_IS_ASCII(text)) {
            if (seen == NULL || seen[k] == 0) {
                hit = has_to_ascii(t, n);
                if (seen != NULL)
                    seen[k] = (char)(hit ? 2 : 1);
            } else
                hit = seen[k] == 2;
        }
        PyBytes_AS_STRING(out)[k] = (char)hit;
    }
    PyBuffer_Release(&wb);
    return out;
}

/* ------------------------------------------------------------------ segment_tops */

/* segment_tops(x, at, top, first, second) -> None
 * x: n rows of m float32 (no NaN); at: the starts (int64, rising, the first 0) of D
 * non-empty segments of a row, the last running to m. For each row i and segment d:
 * top[i, d] the largest value (float32), first[i, d] the column of its first occurrence
 * (int64, as argmax), second[i, d] the largest value of the segment's other columns (-1.0
 * for a segment of one column). */
static PyObject *segment_tops(PyObject *self, PyObject *args)
{
    Py_buffer xb, ab, tb, fb, sb;
    if (!PyArg_ParseTuple(args, "y*y*w*w*w*", &xb, &ab, &tb, &fb, &sb))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t d_n = ab.len / 8, n = d_n ? tb.len / 4 / d_n : 0;
    Py_ssize_t m = n ? xb.len / 4 / n : 0;
    const int64_t *at = ab.buf;
    int ok = ab.len == 8 * d_n && tb.len == 4 * n * d_n && fb.len == 8 * n * d_n
             && sb.len == tb.len && xb.len == 4 * n * m && (d_n == 0 || at[0] == 0);
    for (Py_ssize_t d = 0; ok && n && d < d_n; d++) /* no rows: no width to check against */
        ok = at[d] < (d + 1 < d_n ? at[d + 1] : m);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "bad segment_tops arguments");
        goto done;
    }
    const float *x = xb.buf;
    float *top = tb.buf, *second = sb.buf;
    int64_t *first = fb.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        const float *row = x + i * m;
        for (Py_ssize_t d = 0; d < d_n; d++) {
            Py_ssize_t lo = (Py_ssize_t)at[d], hi = d + 1 < d_n ? (Py_ssize_t)at[d + 1] : m;
            float t = row[lo], u = -1.0f;
            Py_ssize_t f = lo;
            for (Py_ssize_t j = lo + 1; j < hi; j++) {
                float v = row[j];
                if (v > t) {
                    u = t;
                    t = v;
                    f = j;
                } else if (v > u)
                    u = v;
            }
            top[i * d_n + d] = t;
            first[i * d_n + d] = f;
            second[i * d_n + d] = u;
        }
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&xb);
    PyBuffer_Release(&ab);
    PyBuffer_Release(&tb);
    PyBuffer_Release(&fb);
    PyBuffer_Release(&sb);
    return result;
}

/* ------------------------------------------------------------------ weigh_bound, top_two, doc_freq */

/* Whether a buffer holds float32 (C-contiguous: asked for with PyBUF_FORMAT). */
static int float32s(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (*f == '@' || *f == '=' || *f == '<')
        f++;
    return b->itemsize == 4 && f[0] == 'f' && f[1] == 0;
}

/* weigh_bound(a_out, b, idf, i, rows, name_weight) -> (rare, err, plain, err_plain, names)
 * or None
 * unspun.align.aligner._weigh of suspect row i (a_out: n x v float32) and source rows
 * ``rows`` (b: m x v float32; their column maximum) with the rarities idf (v float32), in
 * double: the same shared weights and names (float32 tests, a name weight as numpy casts a
 * Python float to float32), each product exact in double. ``err`` bounds how far numpy's
 * float32 dot product (any order of its v terms: v 2^-24 times the sum of their sizes, here
 * doubled) and this sum can be from ``rare``; ``err_plain`` likewise for rare minus the
 * names' part. None when a term is not finite. */
static PyObject *weigh_bound(PyObject *self, PyObject *args)
{
    PyObject *ao_obj, *b_obj, *f_obj, *rows;
    Py_ssize_t i;
    double nw;
    if (!PyArg_ParseTuple(args, "OOOnO!d", &ao_obj, &b_obj, &f_obj, &i, &PyList_Type, &rows,
                          &nw))
        return NULL;
    Py_buffer ab = {0}, bb = {0}, fb = {0};
    PyObject *result = NULL;
    const float *rp[8];
    const float **row = rp;
    Py_ssize_t nr = PyList_GET_SIZE(rows);
    if (PyObject_GetBuffer(ao_obj, &ab, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(b_obj, &bb, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(f_obj, &fb, PyBUF_FORMAT) < 0)
        goto done;
    Py_ssize_t v = fb.len / 4;
    if (!float32s(&ab) || !float32s(&bb) || !float32s(&fb) || v == 0 || nr < 1
            || ab.len % (4 * v) || bb.len % (4 * v) || i < 0 || i >= ab.len / (4 * v)) {
        PyErr_SetString(PyExc_ValueError, "bad weigh_bound arguments");
        goto done;
    }
    if (nr > 8 && !(row = PyMem_Malloc(nr * sizeof(float *)))) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t m = bb.len / (4 * v);
    for (Py_ssize_t r = 0; r < nr; r++) {
        Py_ssize_t j = PyLong_AsSsize_t(PyList_GET_ITEM(rows, r));
        if (j == -1 && PyErr_Occurred())
            goto done;
        if (j < 0 || j >= m) {
            PyErr_SetString(PyExc_ValueError, "weigh_bound row out of range");
            goto done;
        }
        row[r] = (const float *)bb.buf + j * v;
    }
    const float *ao = (const float *)ab.buf + i * v, *idf = fb.buf;
    const float name = (float)nw;
    double rare = 0.0, named = 0.0, size = 0.0, named_size = 0.0;
    long names = 0;
    for (Py_ssize_t c = 0; c < v; c++) {
        float bm = row[0][c];
        for (Py_ssize_t r = 1; r < nr; r++) {  /* numpy's maximum: a NaN wins */
            float x = row[r][c];
            if (x > bm || isnan(x))
                bm = isnan(bm) ? bm : x;
        }
        float s = ao[c] * (float)(bm > 0.0f);
        double t = (double)s * (double)idf[c];
        rare += t;
        size += fabs(t);
        if (s >= name || (s > 0.0f && bm >= name)) {
            named += t;
            named_size += fabs(t);
            names++;
        }
    }
    if (!isfinite(size) || !isfinite(named_size)) {
        result = Py_None;
        Py_INCREF(result);
        goto done;
    }
    double scale = (double)(v + 2) * ldexp(1.0, -23);
    result = Py_BuildValue("(ddddl)", rare, scale * size, rare - named,
                           scale * (size + named_size), names);
done:
    if (row != rp)
        PyMem_Free(row);
    if (ab.obj)
        PyBuffer_Release(&ab);
    if (bb.obj)
        PyBuffer_Release(&bb);
    if (fb.obj)
        PyBuffer_Release(&fb);
    return result;
}

/* top_two(seg) -> (first, second) or None
 * np.argsort(-seg)[:2] of a float32 vector when it does not depend on how the sort breaks
 * ties: the largest value occurs once, and so does the largest of the others. None when
 * it does (or seg has fewer than two values, or a NaN): the caller sorts. */
static PyObject *top_two(PyObject *self, PyObject *arg)
{
    Py_buffer sb;
    if (PyObject_GetBuffer(arg, &sb, PyBUF_FORMAT) < 0)
        return NULL;
    PyObject *result = NULL;
    if (!float32s(&sb)) {
        PyErr_SetString(PyExc_ValueError, "top_two needs float32");
        goto done;
    }
    const float *x = sb.buf;
    Py_ssize_t n = sb.len / 4, f = 0, s = -1;
    int tied1 = 0, tied2 = 0;
    for (Py_ssize_t j = 0; j < n; j++)
        if (isnan(x[j]))
            n = -1;  /* ends the loop; answered by the sort */
    for (Py_ssize_t j = 1; j < n; j++) {
        float y = x[j];
        if (y > x[f]) {
            s = f;
            tied2 = tied1;
            f = j;
            tied1 = 0;
        } else if (y == x[f]) {
            tied1 = 1;
        } else if (s < 0 || y > x[s]) {
            s = j;
            tied2 = 0;
        } else if (y == x[s]) {
            tied2 = 1;
        }
    }
    if (n < 2 || tied1 || tied2 || s < 0)
        result = Py_None, Py_INCREF(result);
    else
        result = Py_BuildValue("(nn)", f, s);
done:
    PyBuffer_Release(&sb);
    return result;
}

/* doc_freq(cols, rows, weights, starts, v) -> bytearray of int64
 * For each of v columns, in how many documents (rows starts[d] to starts[d + 1], starts
 * int64 rising from 0) an entry (row rows[k], column cols[k], -1 for none) has a weight
 * (float32) > 0: unspun.align.aligner._rarity's document frequencies (of b > 0) from the
 * entries b was filled from, each (row, column) once (a sentence's words are distinct, as
 * kernel_fill's sums assume), instead of from all of b. */
static PyObject *doc_freq(PyObject *self, PyObject *args)
{
    PyObject *c_obj, *r_obj, *w_obj, *s_obj;
    Py_ssize_t v;
    if (!PyArg_ParseTuple(args, "OOOOn", &c_obj, &r_obj, &w_obj, &s_obj, &v))
        return NULL;
    Py_buffer cb = {0}, rb = {0}, wb = {0}, sb = {0};
    PyObject *result = NULL;
    unsigned char *seen = NULL;
    if (PyObject_GetBuffer(c_obj, &cb, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(r_obj, &rb, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(w_obj, &wb, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(s_obj, &sb, PyBUF_FORMAT) < 0)
        goto done;
    Py_ssize_t e = wb.len / 4, nd = sb.len / 8 - 1;
    const int64_t *starts = sb.buf;
    int ok = float32s(&wb) && signed_ints(&cb) && signed_ints(&rb) && signed_ints(&sb)
             && sb.itemsize == 8 && nd >= 1 && v >= 0 && cb.len == e * cb.itemsize
             && rb.len == e * rb.itemsize && starts[0] == 0;
    for (Py_ssize_t d = 0; ok && d < nd; d++)
        ok = starts[d] <= starts[d + 1];
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "bad doc_freq arguments");
        goto done;
    }
    int64_t m = starts[nd];
    result = PyByteArray_FromStringAndSize(NULL, 8 * v);
    seen = PyMem_Calloc(nd * v + 1, 1);
    if (!result || !seen) {
        Py_CLEAR(result);
        if (!seen)
            PyErr_NoMemory();
        goto done;
    }
    int64_t *df = (int64_t *)PyByteArray_AS_STRING(result);
    memset(df, 0, 8 * v);
    const float *w = wb.buf;
    Py_ssize_t d = 0;
    for (Py_ssize_t k = 0; k < e; k++) {
        int64_t c = int_at(&cb, k), r = int_at(&rb, k);
        if (c < 0)
            continue;
        if (c >= v || r < 0 || r >= m) {
            PyErr_SetString(PyExc_ValueError, "doc_freq entry out of range");
            Py_CLEAR(result);
            goto done;
        }
        if (!(w[k] > 0.0f))
            continue;
        if (r < starts[d] || r >= starts[d + 1]) {  /* not the last entry's document */
            Py_ssize_t lo = 0, hi = nd;  /* the d with starts[d] <= r < starts[d + 1] */
            while (hi - lo > 1) {
                Py_ssize_t mid = (lo + hi) / 2;
                if (starts[mid] <= r)
                    lo = mid;
                else
                    hi = mid;
            }
            d = lo;
        }
        unsigned char *at = seen + d * v + c;
        if (!*at) {
            *at = 1;
            df[c]++;
        }
    }
done:
    PyMem_Free(seen);
    if (cb.obj)
        PyBuffer_Release(&cb);
    if (rb.obj)
        PyBuffer_Release(&rb);
    if (wb.obj)
        PyBuffer_Release(&wb);
    if (sb.obj)
        PyBuffer_Release(&sb);
    return result;
}

/* best_table(contain, dice, contain_out, covered, b_tot, docs, at, totals, skip, params)
 *   -> list
 * The table unspun.align.aligner._all_best_matches builds with numpy (its _best_table), one
 * tuple per live (suspect sentence i, candidate) pair that can give a match (see there), i
 * first, none for a sentence i with skip[i] (bytes) not 0:
 * (i, d, lo, j, top, join, merge, dice_ok, weak, thin, covers, j_cov, top_cov, weak_cov,
 * thin_cov). The four matrices: n x m float32; b_tot: m float32; docs, at: the D candidates
 * with sentences and their first column (int64; at rising from 0, each segment running to
 * the next or to m); totals: n float32 (the sentences' weight outside quotes); params: the
 * thresholds (reach, min_covered_weight, min_covered, join_floor, merge_gain,
 * min_containment, min_dice, out_cut, min_outside_weight, margin, fragment_containment). A float32 value tested
 * against a threshold is tested in float32 (numpy casts a Python float so), a value numpy's
 * code converts to float64 first in double, as there. */
static PyObject *best_table(PyObject *self, PyObject *args)
{
    PyObject *objs[8];
    const char *skip;
    Py_ssize_t nskip;
    double reach, mcw, mcov, join_floor, gain, mc, mdice, out_cut, mow, margin, frag;
    if (!PyArg_ParseTuple(args, "OOOOOOOOy#(ddddddddddd)", &objs[0], &objs[1], &objs[2],
                          &objs[3], &objs[4], &objs[5], &objs[6], &objs[7], &skip, &nskip,
                          &reach, &mcw, &mcov, &join_floor, &gain, &mc, &mdice, &out_cut, &mow,
                          &margin, &frag))
        return NULL;
    Py_buffer bufs[8];
    int got = 0;
    PyObject *result = NULL;
    for (; got < 8; got++)
        if (PyObject_GetBuffer(objs[got], &bufs[got], PyBUF_FORMAT) < 0)
            goto done;
    Py_buffer *cb = &bufs[0], *db = &bufs[1], *ob = &bufs[2], *vb = &bufs[3], *tb = &bufs[4];
    Py_buffer *kb = &bufs[5], *ab = &bufs[6], *sb = &bufs[7];
    Py_ssize_t m = tb->len / 4, n = sb->len / 4, nd = ab->len / 8;
    const int64_t *at = ab->buf, *docs = kb->buf;
    int ok = float32s(cb) && float32s(db) && float32s(ob) && float32s(vb) && float32s(tb)
             && float32s(sb) && signed_ints(kb) && signed_ints(ab) && kb->itemsize == 8
             && ab->itemsize == 8 && kb->len == ab->len && cb->len == 4 * n * m
             && db->len == cb->len && ob->len == cb->len && vb->len == cb->len
             && nskip == n && (nd == 0 || at[0] == 0);
    for (Py_ssize_t d = 0; ok && d < nd; d++)
        ok = at[d] < (d + 1 < nd ? at[d + 1] : m);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "bad best_table arguments");
        goto done;
    }
    const float *contain = cb->buf, *dice = db->buf, *cout = ob->buf, *cov = vb->buf;
    const float *b_tot = tb->buf, *totals = sb->buf;
    const float reach32 = (float)reach, mcw32 = (float)mcw, mcov32 = (float)mcov;
    const float mdice32 = (float)mdice, out_cut32 = (float)out_cut, mow32 = (float)mow;
    if (!(result = PyList_New(0)))
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        const float *row = contain + i * m, *crow = cov + i * m, *orow = cout + i * m;
        if (skip[i])
            continue;
        for (Py_ssize_t d = 0; d < nd; d++) {
            Py_ssize_t lo = (Py_ssize_t)at[d], hi = d + 1 < nd ? (Py_ssize_t)at[d + 1] : m;
            /* as segment_tops: the top, its first column and the best of the others */
            float t = row[lo], u = -1.0f;
            Py_ssize_t f = lo;
            float ct = crow[lo] * (float)(b_tot[lo] >= mcw32);
            Py_ssize_t cf = lo;
            for (Py_ssize_t j = lo + 1; j < hi; j++) {
                float x = row[j];
                if (x > t) {
                    u = t;
                    t = x;
                    f = j;
                } else if (x > u)
                    u = x;
                float y = crow[j] * (float)(b_tot[j] >= mcw32);
                if (y > ct) {
                    ct = y;
                    cf = j;
                }
            }
            if (!(t >= reach32 || ct >= mcov32))
                continue;
            double top = t, second = u;
            double left = f > lo ? (double)row[f - 1] : -INFINITY;
            double right = f + 1 < hi ? (double)row[f + 1] : -INFINITY;
            int join = top >= join_floor && (left + margin >= gain || right + margin >= gain);
            int merge = second + margin >= gain && top + second + margin >= mc;
            int dice_ok = dice[i * m + f] >= mdice32;
            /* nothing to try: no piece to join, not a match, a fragment, a merge or covered */
            if (!join && !(top >= mc && dice_ok) && !(top >= frag)
                    && !(merge && top >= join_floor) && !(ct >= mcov32))
                continue;
            float o1 = orow[f], o2 = orow[cf];
            PyObject *item = Py_BuildValue(
                "(nLnndOOOOOOndOO)", i, (long long)docs[d], lo, f - lo, top,
                join ? Py_True : Py_False, merge ? Py_True : Py_False,
                dice_ok ? Py_True : Py_False, o1 < out_cut32 ? Py_True : Py_False,
                o1 * totals[i] < mow32 ? Py_True : Py_False,
                ct >= mcov32 ? Py_True : Py_False, cf - lo, (double)ct,
                o2 < out_cut32 ? Py_True : Py_False,
                o2 * totals[i] < mow32 ? Py_True : Py_False);
            if (!item || PyList_Append(result, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(result);
                goto done;
            }
            Py_DECREF(item);
        }
    }
done:
    for (int g = 0; g < got; g++)
        PyBuffer_Release(&bufs[g]);
    return result;
}

/* union_sums(a, b, i, rows) -> (matched, total) or None
 * The two sums of unspun.align.vectors.Kernel.union_containment for suspect row i (a: n x v
 * float32) and source rows ``rows`` (b: m x v float32): the weight of row i's words that
 * some row has (b > 0), and row i's weight. Exact, so numpy's float32 sums in any order
 * give them too, when every weight of row i is (exact_weight) and the total is at most
 * 2^13; None when one is not. */
static PyObject *union_sums(PyObject *self, PyObject *args)
{
    PyObject *a_obj, *b_obj, *rows;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "OOnO!", &a_obj, &b_obj, &i, &PyList_Type, &rows))
        return NULL;
    Py_buffer ab = {0}, bb = {0};
    PyObject *result = NULL;
    const float *rp[8];
    const float **row = rp;
    Py_ssize_t nr = PyList_GET_SIZE(rows);
    if (PyObject_GetBuffer(a_obj, &ab, PyBUF_FORMAT) < 0
            || PyObject_GetBuffer(b_obj, &bb, PyBUF_FORMAT) < 0)
        goto done;
    Py_ssize_t v = 0, m = 0;
    if (!float32s(&ab) || !float32s(&bb) || nr < 1 || i < 0) {
        PyErr_SetString(PyExc_ValueError, "bad union_sums arguments");
        goto done;
    }
    /* the width is b's row length: a and b share it; given by the caller as a's shape */
    PyObject *shape = PyObject_GetAttrString(a_obj, "shape");
    if (!shape)
        goto done;
    v = PyTuple_Check(shape) && PyTuple_GET_SIZE(shape) == 2
        ? PyLong_AsSsize_t(PyTuple_GET_ITEM(shape, 1)) : -1;
    Py_DECREF(shape);
    if (v <= 0 || ab.len % (4 * v) || bb.len % (4 * v) || i >= ab.len / (4 * v)) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "bad union_sums arguments");
        goto done;
    }
    m = bb.len / (4 * v);
    if (nr > 8 && !(row = PyMem_Malloc(nr * sizeof(float *)))) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t r = 0; r < nr; r++) {
        Py_ssize_t j = PyLong_AsSsize_t(PyList_GET_ITEM(rows, r));
        if (j == -1 && PyErr_Occurred())
            goto done;
        if (j < 0 || j >= m) {
            PyErr_SetString(PyExc_ValueError, "union_sums row out of range");
            goto done;
        }
        row[r] = (const float *)bb.buf + j * v;
    }
    const float *ai = (const float *)ab.buf + i * v;
    double matched = 0.0, total = 0.0;
    for (Py_ssize_t c = 0; c < v; c++) {
        float x = ai[c];
        if (!exact_weight(x)) {
            result = Py_None, Py_INCREF(result);
            goto done;
        }
        total += x;
        for (Py_ssize_t r = 0; r < nr; r++)
            if (row[r][c] > 0.0f) {
                matched += x;
                break;
            }
    }
    if (total > 8192.0)
        result = Py_None, Py_INCREF(result);
    else
        result = Py_BuildValue("(dd)", matched, total);
done:
    if (row != rp)
        PyMem_Free(row);
    if (ab.obj)
        PyBuffer_Release(&ab);
    if (bb.obj)
        PyBuffer_Release(&bb);
    return result;
}

/* ------------------------------------------------------------------ edit_list */

/* unspun.data.Edit (a slotted dataclass) and where its slots are. */
static PyTypeObject *edit_type;
static Py_ssize_t edit_slots[6];
static const char *EDIT_FIELDS[6] = {"op", "suspect", "source", "suspect_text", "source_text",
                                     "detail"};

/* set_edit_types(Span, Edit): the classes edit_list makes. */
static PyObject *set_edit_types(PyObject *self, PyObject *args)
{
    PyTypeObject *span, *edit;
    Py_ssize_t slots[6], start, end;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &span, &PyType_Type, &edit))
        return NULL;
    if (slot_offset(span, "start", &start) < 0 || slot_offset(span, "end", &end) < 0)
        return NULL;
    for (int k = 0; k < 6; k++)
        if (slot_offset(edit, EDIT_FIELDS[k], &slots[k]) < 0)
            return NULL;
    if (span_type && (span_type != span || span_start != start || span_end != end)) {
        PyErr_SetString(PyExc_ValueError, "another Span class is in use");
        return NULL;
    }
    span_start = start;
    span_end = end;
    memcpy(edit_slots, slots, sizeof(slots));
    Py_INCREF(span);
    Py_INCREF(edit);
    Py_XSETREF(span_type, span);
    Py_XSETREF(edit_type, edit);
    Py_RETURN_NONE;
}

/* The item k (2: start, 3: end) of token n of the list toks (borrowed), or NULL. */
static PyObject *token_item(PyObject *toks, Py_ssize_t n, Py_ssize_t k)
{
    if (n < 0 || n >= PyList_GET_SIZE(toks)) {
        PyErr_SetString(PyExc_IndexError, "a group runs past the tokens");
        return NULL;
    }
    PyObject *tok = PyList_GET_ITEM(toks, n);
    if (!PyTuple_Check(tok) || PyTuple_GET_SIZE(tok) < 4) {
        PyErr_SetString(PyExc_TypeError, "tokens must be Token tuples");
        return NULL;
    }
    return PyTuple_GET_ITEM(tok, k);
}

/* The characters of tokens [i1, i2) of toks: the first's start and the last's end, or for no
 * tokens the end of the token before (``at`` for none), as _Builder.build finds them. */
static int token_range(PyObject *toks, Py_ssize_t i1, Py_ssize_t i2, PyObject *at,
                       PyObject **s, PyObject **e)
{
    if (i2 > i1) {
        *s = token_item(toks, i1, 2);
        *e = *s ? token_item(toks, i2 - 1, 3) : NULL;
    } else {
        *s = *e = i1 > 0 ? token_item(toks, i1 - 1, 3) : at;
    }
    return *s && *e ? 0 : -1;
}

/* A Span of the int objects s and e (valid by construction, as span_at makes it). */
static PyObject *new_span(PyObject *s, PyObject *e)
{
    PyObject *span = span_type->tp_alloc(span_type, 0);
    if (span) {
        SLOT(span, span_start) = Py_NewRef(s);
        SLOT(span, span_end) = Py_NewRef(e);
    }
    return span;
}

/* edit_list(groups, sus, src, sus_text, src_text, sus_at, src_at) -> [Edit, ...]: for each
 * group (op, detail, i1, i2, j1, j2), Edit(op, Span of sus[i1:i2], Span of src[j1:j2], their
 * texts, detail), the slots filled as the dataclass's __init__ fills them. */
static PyObject *edit_list(PyObject *self, PyObject *args)
{
    PyObject *groups, *sus, *src, *sus_text, *src_text, *sus_at, *src_at;
    if (!PyArg_ParseTuple(args, "O!O!O!UUO!O!", &PyList_Type, &groups, &PyList_Type, &sus,
                          &PyList_Type, &src, &sus_text, &src_text, &PyLong_Type, &sus_at,
                          &PyLong_Type, &src_at))
        return NULL;
    if (!edit_type) {
        PyErr_SetString(PyExc_RuntimeError, "set_edit_types was not called");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(groups);
    PyObject *out = PyList_New(n);
    if (!out)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *g = PyList_GET_ITEM(groups, k);
        if (!PyTuple_Check(g) || PyTuple_GET_SIZE(g) != 6) {
            PyErr_SetString(PyExc_TypeError, "a group is (op, detail, i1, i2, j1, j2)");
            goto fail;
        }
        Py_ssize_t ix[4];
        for (int m = 0; m < 4; m++) {
            ix[m] = PyLong_AsSsize_t(PyTuple_GET_ITEM(g, 2 + m));
            if (ix[m] == -1 && PyErr_Occurred())
                goto fail;
        }
        PyObject *s1, *s2, *b1, *b2;
        if (token_range(sus, ix[0], ix[1], sus_at, &s1, &s2) < 0
                || token_range(src, ix[2], ix[3], src_at, &b1, &b2) < 0)
            goto fail;
        Py_ssize_t v[4];
        PyObject *at[4] = {s1, s2, b1, b2};
        for (int m = 0; m < 4; m++) {
            v[m] = PyLong_AsSsize_t(at[m]);
            if (v[m] == -1 && PyErr_Occurred())
                goto fail;
        }
        if (v[0] < 0 || v[0] > v[1] || v[2] < 0 || v[2] > v[3]) {
            PyErr_SetString(PyExc_ValueError, "a bad span");
            goto fail;
        }
        PyObject *edit = edit_type->tp_alloc(edit_type, 0);
        if (!edit)
            goto fail;
        PyList_SET_ITEM(out, k, edit);
        SLOT(edit, edit_slots[0]) = Py_NewRef(PyTuple_GET_ITEM(g, 0));
        SLOT(edit, edit_slots[5]) = Py_NewRef(PyTuple_GET_ITEM(g, 1));
        if (!(SLOT(edit, edit_slots[1]) = new_span(s1, s2))
                || !(SLOT(edit, edit_slots[2]) = new_span(b1, b2))
                || !(SLOT(edit, edit_slots[3]) = PyUnicode_Substring(sus_text, v[0], v[1]))
                || !(SLOT(edit, edit_slots[4]) = PyUnicode_Substring(src_text, v[2], v[3])))
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ row_bytes */

/* Appends s's json.dumps text (ensure_ascii: encode_basestring_ascii's escapes, lower-case
 * hex, astral characters as surrogate pairs) at *p; room: 12 bytes a character + 2. */
static char *json_str(char *p, PyObject *s)
{
    static const char HEX[] = "0123456789abcdef";
    Text t = {PyUnicode_KIND(s), PyUnicode_DATA(s)};
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    *p++ = '"';
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = AT(t, i);
        if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
            *p++ = (char)c;
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '"': *p++ = '"'; continue;
        case '\\': *p++ = '\\'; continue;
        case '\n': *p++ = 'n'; continue;
        case '\r': *p++ = 'r'; continue;
        case '\t': *p++ = 't'; continue;
        case '\b': *p++ = 'b'; continue;
        case '\f': *p++ = 'f'; continue;
        }
        if (c >= 0x10000) {
            Py_UCS4 v = c - 0x10000, hi = 0xD800 | (v >> 10);
            *p++ = 'u';
            for (int k = 12; k >= 0; k -= 4)
                *p++ = HEX[(hi >> k) & 0xF];
            *p++ = '\\';
            c = 0xDC00 | (v & 0x3FF);
        }
        *p++ = 'u';
        for (int k = 12; k >= 0; k -= 4)
            *p++ = HEX[(c >> k) & 0xF];
    }
    *p++ = '"';
    return p;
}

/* row_bytes(row) -> bytes | None: what unspun.index.records.row_sum hashes for a docs row
 * (docno, id, hash, title, url, site, date, source, meta, text, sents[, sum]) of the types
 * the index writes, exactly (int, str, str, six str-or-None, bytes, bytes, int-or-None);
 * None for any other row (the Python path checks and hashes it). */
static PyObject *row_bytes(PyObject *self, PyObject *row)
{
    Py_ssize_t size = PyTuple_CheckExact(row) ? PyTuple_GET_SIZE(row) : 0;
    if (size != 11 && size != 12)
        Py_RETURN_NONE;
    PyObject *text = PyTuple_GET_ITEM(row, 9), *sents = PyTuple_GET_ITEM(row, 10);
    PyObject *docno = PyTuple_GET_ITEM(row, 0);
    PyObject *total = size == 12 ? PyTuple_GET_ITEM(row, 11) : Py_None;
    if (!PyLong_CheckExact(docno) || !PyBytes_CheckExact(text) || !PyBytes_CheckExact(sents)
            || !(total == Py_None || PyLong_CheckExact(total)))
        Py_RETURN_NONE;
    int overflow;
    long long number = PyLong_AsLongLongAndOverflow(docno, &overflow);
    if (overflow || (number == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    Py_ssize_t room = 3 * 24 + 2 + 2 * 11;  /* three numbers, the brackets, separators */
    for (int i = 1; i < 9; i++) {
        PyObject *v = PyTuple_GET_ITEM(row, i);
        if (PyUnicode_CheckExact(v)) {
            if (PyUnicode_READY(v) < 0)
                return NULL;
            room += 12 * PyUnicode_GET_LENGTH(v) + 2;
        } else if (v == Py_None && i >= 3)
            room += 4;
        else
            Py_RETURN_NONE;
    }
    Py_ssize_t nt = PyBytes_GET_SIZE(text), ns = PyBytes_GET_SIZE(sents);
    char *head = PyMem_Malloc(room);
    if (!head)
        return PyErr_NoMemory();
    char *p = head;
    p += sprintf(p, "[%lld", number);
    for (int i = 1; i < 9; i++) {
        PyObject *v = PyTuple_GET_ITEM(row, i);
        *p++ = ',';
        *p++ = ' ';
        if (v == Py_None) {
            memcpy(p, "null", 4);
            p += 4;
        } else {
            p = json_str(p, v);
        }
    }
    p += sprintf(p, ", %zd, %zd]", nt, ns);
    Py_ssize_t nh = p - head;
    PyObject *out = PyBytes_FromStringAndSize(NULL, nh + nt + ns);
    if (out) {
        char *o = PyBytes_AS_STRING(out);
        memcpy(o, head, nh);
        memcpy(o + nh, PyBytes_AS_STRING(text), nt);
        memcpy(o + nh + nt, PyBytes_AS_STRING(sents), ns);
    }
    PyMem_Free(head);
    return out;
}

/* ------------------------------------------------------------------ encode_blocks */

/* Bits needed to write ``x`` (0 for 0), as segments._bits gives them. */
static inline int64_t bit_width(uint64_t x)
{
    return x ? 64 - __builtin_clzll(x) : 0;
}

/* OR the ``width``-bit value ``v`` into ``words`` at bit ``bit`` (it may cross a word). */
static inline void put_bits(uint64_t *words, int64_t bit, int64_t width, uint64_t v)
{
    int64_t s = bit & 63;
    words[bit >> 6] |= v << s;
    if (s && s + width > 64)
        words[(bit >> 6) + 1] |= v >> (64 - s);
}

/* Words a block can take at most: anchors 8, offsets 3, bases 9, keys 16 * 64, docs 16 * 32. */
#define BLOCK_WORDS_MAX (8 + 3 + 9 + 1024 + 512 + 2)

/* encode_blocks(keys, docs) -> (payload, firsts, lasts, dmin, key_words, kw, dw, ends)
 * unspun.index.segments.encode of sorted postings (uint32 ``keys`` and ``docs``): the
 * blocks' bytes, then the directory columns as bytes (uint32 firsts, lasts, dmin; uint16
 * key words; uint8 key and docno widths) and each block's end offset (int64). The same
 * bytes as the numpy code, block by block in one pass: the lines, bases, widths and
 * padding of a short last block (keys at their line, docnos as the block's first). */
static PyObject *encode_blocks(PyObject *self, PyObject *args)
{
    Py_buffer kb, db;
    PyObject *result = NULL, *payload = NULL;
    uint64_t *words = NULL;
    unsigned char *dir = NULL;
    if (!PyArg_ParseTuple(args, "y*y*", &kb, &db))
        return NULL;
    Py_ssize_t n = kb.len / 4, nb = (n + 1023) / 1024;
    if (kb.len % 4 || db.len != kb.len) {
        PyErr_SetString(PyExc_ValueError, "bad encode_blocks arguments");
        goto done;
    }
    const uint32_t *keys = kb.buf, *docs = db.buf;
    /* directory: firsts, lasts, dmin (4 each), key words (2), kw, dw (1 each), ends (8) */
    dir = PyMem_Malloc(nb ? nb * 32 : 1);
    if (!dir) {
        PyErr_NoMemory();
        goto done;
    }
    /* The payload is written in place into a bytes object of the largest size it can take
     * (pages never touched cost nothing), shrunk at the end: no buffer grown and copied. */
    payload = PyBytes_FromStringAndSize(NULL, (nb * BLOCK_WORDS_MAX + 1) * 8);
    if (!payload)
        goto done;
    words = (uint64_t *)PyBytes_AS_STRING(payload);
    Py_ssize_t used = 0, zeroed = 0;
    uint32_t *firsts = (uint32_t *)dir, *lasts = firsts + nb, *dmins = lasts + nb;
    uint16_t *key_words = (uint16_t *)(dmins + nb);
    uint8_t *kws = (uint8_t *)(key_words + nb), *dws = kws + nb;
    int64_t *ends = (int64_t *)(dws + nb);
    for (Py_ssize_t b = 0; b < nb; b++) {
        if (zeroed < used + BLOCK_WORDS_MAX + 1) {  /* the words this block may write */
            Py_ssize_t from = zeroed > used ? zeroed : used;
            memset(words + from, 0, (used + BLOCK_WORDS_MAX + 1 - from) * 8);
            zeroed = used + BLOCK_WORDS_MAX + 1;
        }
        const uint32_t *k = keys + b * 1024, *d = docs + b * 1024;
        int64_t len = n - b * 1024 < 1024 ? n - b * 1024 : 1024, groups = (len + 63) >> 6;
        int64_t first = k[0], last = k[len - 1], anchor[17];
        anchor[0] = first;
        for (int j = 1; j <= 16; j++)
            anchor[j] = j < groups ? (int64_t)k[j << 6] : last;
        uint64_t values[1024];
        int64_t base[16], width[16], offset[16], kw = 0, total = 0;
        for (int64_t g = 0; g < groups; g++) {
            int64_t start = g << 6, real = len - start < 64 ? len - start : 64;
            int64_t divisor = len < 1024 && g == groups - 1 ? real : 64;
            int64_t step = anchor[g + 1] - anchor[g], low = 0, off[64];
            for (int64_t r = 0; r < 64; r++) {
                off[r] = r < real ? (int64_t)k[start + r] - (anchor[g] + r * step / divisor) : 0;
                if (off[r] < low)
                    low = off[r];
            }
            uint64_t high = 0;
            for (int64_t r = 0; r < 64; r++) {
                values[start + r] = (uint64_t)(off[r] - low);
                if (values[start + r] > high)
                    high = values[start + r];
            }
            base[g] = -low;
            width[g] = bit_width(high);
            if (width[g] > kw)
                kw = width[g];
            total += width[g];
            offset[g] = total;
        }
        uint32_t dmin = d[0], dmax = d[0];
        for (int64_t r = 1; r < len; r++) {
            if (d[r] < dmin)
                dmin = d[r];
            if (d[r] > dmax)
                dmax = d[r];
        }
        int64_t dw = bit_width(dmax - dmin), aw = bit_width((uint64_t)(last - first));
        int64_t anchor_at = used * 64;
        int64_t group_at = anchor_at + (((groups - 1) * aw + 63) >> 6) * 64;
        int64_t base_at = group_at + ((groups * 10 + 63) >> 6) * 64;
        int64_t key_at = base_at + ((groups * kw + 63) >> 6) * 64;
        int64_t doc_at = key_at + total * 64;
        for (int64_t j = 1; j < groups; j++)
            put_bits(words, anchor_at + (j - 1) * aw, aw, (uint64_t)(anchor[j] - first));
        for (int64_t g = 0; g < groups; g++) {
            put_bits(words, group_at + g * 10, 10, (uint64_t)offset[g]);
            put_bits(words, base_at + g * kw, kw, (uint64_t)base[g]);
            int64_t w = width[g], at = key_at + (offset[g] - w) * 64;
            if (w)
                for (int64_t r = 0; r < 64; r++)
                    put_bits(words, at + r * w, w, values[(g << 6) + r]);
            if (dw) {
                int64_t dat = doc_at + g * dw * 64;
                for (int64_t r = 0; r < 64; r++) {
                    int64_t i = (g << 6) + r;
                    put_bits(words, dat + r * dw, dw, (uint64_t)((i < len ? d[i] : d[0]) - dmin));
                }
            }
        }
        used = (doc_at >> 6) + groups * dw;
        firsts[b] = (uint32_t)first;
        lasts[b] = (uint32_t)last;
        dmins[b] = dmin;
        key_words[b] = (uint16_t)total;
        kws[b] = (uint8_t)kw;
        dws[b] = (uint8_t)dw;
        ends[b] = used * 8;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (Py_ssize_t i = 0; i < used; i++)
        words[i] = __builtin_bswap64(words[i]);
#endif
    if (_PyBytes_Resize(&payload, used * 8) < 0)
        goto done;  /* payload is NULL then */
    result = Py_BuildValue("(Oy#y#y#y#y#y#y#)", payload,
                           (char *)firsts, nb * 4, (char *)lasts, nb * 4, (char *)dmins, nb * 4,
                           (char *)key_words, nb * 2, (char *)kws, nb, (char *)dws, nb,
                           (char *)ends, nb * 8);
done:
    Py_XDECREF(payload);
    PyMem_Free(dir);
    PyBuffer_Release(&kb);
    PyBuffer_Release(&db);
    return result;
}

/* Little-endian 64-bit word ``i`` of ``buf`` (``n`` words; 0 past the end). */
static inline uint64_t word_at(const unsigned char *buf, int64_t i, int64_t n)
{
    uint64_t w = 0;
    if (i < n)
        memcpy(&w, buf + i * 8, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* The ``width``-bit value at bit ``bit`` of the ``n`` words of ``buf`` (width <= 64; it
 * may cross a word). */
static inline uint64_t get_bits(const unsigned char *buf, int64_t n, int64_t bit, int64_t width)
{
    if (!width)
        return 0;
    int64_t s = bit & 63;
    uint64_t v = word_at(buf, bit >> 6, n) >> s;
    if (s && s + width > 64)
        v |= word_at(buf, (bit >> 6) + 1, n) << (64 - s);
    return width == 64 ? v : v & ((UINT64_C(1) << width) - 1);
}

/* decode_blocks(payload, lens, firsts, lasts, dmin, key_words, kw, dw) -> (keys, docs)
 * The postings (uint32 keys and docnos, as bytes) of consecutive blocks whose bytes are
 * ``payload`` (from the first block's start to the last one's end) and whose directory rows
 * are the columns given (``lens``: postings per block, int64), as Segment._gather decodes
 * them. ValueError when the rows do not describe ``payload`` exactly or a group's width is
 * out of range (the caller then decodes with numpy, which fails as it always did). */
static PyObject *decode_blocks(PyObject *self, PyObject *args)
{
    Py_buffer pb, lb, fb, tb, mb, wb, kb, db;
    PyObject *result = NULL, *keys_out = NULL, *docs_out = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*y*", &pb, &lb, &fb, &tb, &mb, &wb, &kb, &db))
        return NULL;
    Py_ssize_t nb = lb.len / 8, total = 0;
    const int64_t *lens = lb.buf;
    const uint32_t *firsts = fb.buf, *lasts = tb.buf, *dmins = mb.buf;
    const uint16_t *key_words = wb.buf;
    const uint8_t *kws = kb.buf, *dws = db.buf;
    if (lb.len % 8 || fb.len != nb * 4 || tb.len != nb * 4 || mb.len != nb * 4
            || wb.len != nb * 2 || kb.len != nb || db.len != nb || pb.len % 8)
        goto bad;
    for (Py_ssize_t b = 0; b < nb; b++) {
        if (lens[b] < 1 || lens[b] > 1024)
            goto bad;
        total += lens[b];
    }
    Py_ssize_t nwords = pb.len / 8;
    const unsigned char *words = pb.buf;  /* read in place (unaligned, bounds-checked loads) */
    keys_out = PyBytes_FromStringAndSize(NULL, total * 4);
    docs_out = PyBytes_FromStringAndSize(NULL, total * 4);
    if (!keys_out || !docs_out)
        goto done;
    uint32_t *kout = (uint32_t *)PyBytes_AS_STRING(keys_out);
    uint32_t *dout = (uint32_t *)PyBytes_AS_STRING(docs_out);
    int64_t at = 0; /* the block's first word */
    for (Py_ssize_t b = 0; b < nb; b++) {
        int64_t len = lens[b], groups = (len + 63) >> 6, first = firsts[b], last = lasts[b];
        int64_t kw = kws[b], dw = dws[b], aw = bit_width((uint64_t)(last - first));
        if (last < first || kw > 64 || dw > 64)
            goto bad;
        int64_t anchor_at = at * 64;
        int64_t group_at = anchor_at + (((groups - 1) * aw + 63) >> 6) * 64;
        int64_t base_at = group_at + ((groups * 10 + 63) >> 6) * 64;
        int64_t key_at = base_at + ((groups * kw + 63) >> 6) * 64;
        int64_t doc_at = key_at + (int64_t)key_words[b] * 64;
        int64_t end = (doc_at >> 6) + groups * dw;
        if (end > nwords)
            goto bad;
        int64_t anchor[17];
        anchor[0] = first;
        for (int64_t j = 1; j <= 16; j++)
            anchor[j] = j < groups ? first + (int64_t)get_bits(words, nwords, anchor_at + (j - 1) * aw, aw)
                                   : last;
        int64_t before = 0;
        for (int64_t g = 0; g < groups; g++) {
            int64_t offset = (int64_t)get_bits(words, nwords, group_at + g * 10, 10);
            int64_t w = offset - before, start = g << 6;
            int64_t real = len - start < 64 ? len - start : 64;
            int64_t divisor = len < 1024 && g == groups - 1 ? real : 64;
            if (w < 0 || w > 64 || offset > key_words[b])
                goto bad;
            int64_t base = (int64_t)get_bits(words, nwords, base_at + g * kw, kw);
            int64_t step = anchor[g + 1] - anchor[g];
            int64_t kat = key_at + before * 64, dat = doc_at + g * dw * 64;
            for (int64_t r = 0; r < real; r++) {
                int64_t key = anchor[g] + floor_div(r * step, divisor) - base
                              + (int64_t)get_bits(words, nwords, kat + r * w, w);
                kout[start + r] = (uint32_t)key;
                dout[start + r] = (uint32_t)(dmins[b] + get_bits(words, nwords, dat + r * dw, dw));
            }
            before = offset;
        }
        kout += len;
        dout += len;
        at = end;
    }
    if (at != nwords)
        goto bad;
    result = PyTuple_Pack(2, keys_out, docs_out);
    goto done;
bad:
    PyErr_SetString(PyExc_ValueError, "decode_blocks: the directory does not match the bytes");
done:
    Py_XDECREF(keys_out);
    Py_XDECREF(docs_out);
    PyBuffer_Release(&pb);
    PyBuffer_Release(&lb);
    PyBuffer_Release(&fb);
    PyBuffer_Release(&tb);
    PyBuffer_Release(&mb);
    PyBuffer_Release(&wb);
    PyBuffer_Release(&kb);
    PyBuffer_Release(&db);
    return result;
}

/* ------------------------------------------------------------------ merge_runs */

/* merge_runs(keys, docs) -> (keys, docs)
 * The postings of ``len(keys)`` runs, each sorted by key then docno (run i: the uint32
 * buffers keys[i] and docs[i]), merged into one such run (bytes of uint32): what
 * unspun.index.segments.sort_postings gives for their concatenation, by a heap of the runs'
 * heads (key << 32 | docno) instead of a sort. ValueError when a run is out of order (the
 * caller then sorts). */
static PyObject *merge_runs(PyObject *self, PyObject *args)
{
    PyObject *klist, *dlist, *result = NULL, *kout = NULL, *dout = NULL;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &klist, &PyList_Type, &dlist))
        return NULL;
    Py_ssize_t k = PyList_GET_SIZE(klist), total = 0, got = 0;
    if (PyList_GET_SIZE(dlist) != k) {
        PyErr_SetString(PyExc_ValueError, "bad merge_runs arguments");
        return NULL;
    }
    Py_buffer *bufs = PyMem_Calloc(2 * (k ? k : 1), sizeof(Py_buffer));
    Py_ssize_t *pos = PyMem_Calloc(k ? k : 1, sizeof(Py_ssize_t));
    Py_ssize_t *heap = PyMem_Calloc(k ? k : 1, sizeof(Py_ssize_t)); /* run numbers */
    uint64_t *head = PyMem_Calloc(k ? k : 1, sizeof(uint64_t));
    if (!bufs || !pos || !heap || !head) {
        PyErr_NoMemory();
        goto done;
    }
    for (; got < k; got++) {
        if (PyObject_GetBuffer(PyList_GET_ITEM(klist, got), &bufs[2 * got], PyBUF_SIMPLE) < 0)
            goto done;
        if (PyObject_GetBuffer(PyList_GET_ITEM(dlist, got), &bufs[2 * got + 1], PyBUF_SIMPLE) < 0) {
            PyBuffer_Release(&bufs[2 * got]);
            goto done;
        }
        if (bufs[2 * got].len % 4 || bufs[2 * got + 1].len != bufs[2 * got].len) {
            got++;
            PyErr_SetString(PyExc_ValueError, "bad merge_runs arguments");
            goto done;
        }
        total += bufs[2 * got].len / 4;
    }
    kout = PyBytes_FromStringAndSize(NULL, total * 4);
    dout = PyBytes_FromStringAndSize(NULL, total * 4);
    if (!kout || !dout)
        goto done;
    uint32_t *ko = (uint32_t *)PyBytes_AS_STRING(kout), *dov = (uint32_t *)PyBytes_AS_STRING(dout);
#define RUN_K(r) ((const uint32_t *)bufs[2 * (r)].buf)
#define RUN_D(r) ((const uint32_t *)bufs[2 * (r) + 1].buf)
#define RUN_N(r) (bufs[2 * (r)].len / 4)
#define PAIR(r, i) (((uint64_t)RUN_K(r)[i] << 32) | RUN_D(r)[i])
    Py_ssize_t live = 0;
    for (Py_ssize_t r = 0; r < k; r++) {
        if (!RUN_N(r))
            continue;
        Py_ssize_t i = live++;  /* sift up */
        uint64_t v = PAIR(r, 0);
        while (i > 0 && head[(i - 1) / 2] > v) {
            head[i] = head[(i - 1) / 2];
            heap[i] = heap[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        head[i] = v;
        heap[i] = r;
    }
    Py_ssize_t out = 0;
    while (live) {
        Py_ssize_t r = heap[0];
        uint64_t v = head[0];
        ko[out] = (uint32_t)(v >> 32);
        dov[out++] = (uint32_t)v;
        Py_ssize_t p = ++pos[r];
        if (p < RUN_N(r)) {
            uint64_t next = PAIR(r, p);
            if (next < v) {
                PyErr_SetString(PyExc_ValueError, "merge_runs: a run is out of order");
                goto done;
            }
            v = next;
        } else {  /* the run is spent: the heap's last entry moves to the top */
            if (!--live)
                break;
            v = head[live];
            r = heap[live];
        }
        Py_ssize_t i = 0;  /* sift the new top down */
        for (;;) {
            Py_ssize_t c = 2 * i + 1;
            if (c >= live)
                break;
            if (c + 1 < live && head[c + 1] < head[c])
                c++;
            if (head[c] >= v)
                break;
            head[i] = head[c];
            heap[i] = heap[c];
            i = c;
        }
        head[i] = v;
        heap[i] = r;
    }
#undef RUN_K
#undef RUN_D
#undef RUN_N
#undef PAIR
    result = PyTuple_Pack(2, kout, dout);
done:
    for (Py_ssize_t i = 0; i < 2 * got; i++)
        PyBuffer_Release(&bufs[i]);
    Py_XDECREF(kout);
    Py_XDECREF(dout);
    PyMem_Free(bufs);
    PyMem_Free(pos);
    PyMem_Free(heap);
    PyMem_Free(head);
    return result;
}

/* ------------------------------------------------------------------ norm_fold */

/* unspun.judge.sources._norm: " ".join(text.split()).casefold() in one pass, with no list of
 * words and no intermediate strs. Words end at the characters str.split() splits at
 * (Py_UNICODE_ISSPACE); each character is casefolded as str.casefold() does it, alone
 * (_PyUnicode_ToFoldedFull, at most three characters), and no casefold holds whitespace (a
 * test checks every code point), so folding the words one by one is folding the joined text. */
static PyObject *norm_fold(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "norm_fold takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), k = 0;
    int gap = 0; /* whitespace met after a word: a space before the next one */
    if (PyUnicode_IS_ASCII(text)) {
        const unsigned char *d = PyUnicode_1BYTE_DATA(text);
        unsigned char *buf = PyMem_Malloc(n ? (size_t)n : 1);
        if (!buf)
            return PyErr_NoMemory();
        for (Py_ssize_t i = 0; i < n; i++) {
            unsigned char c = d[i];
            if (Py_UNICODE_ISSPACE(c)) {
                gap = k > 0;
                continue;
            }
            if (gap) {
                buf[k++] = ' ';
                gap = 0;
            }
            buf[k++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        PyObject *out = PyUnicode_New(k, 127);
        if (out)
            memcpy(PyUnicode_1BYTE_DATA(out), buf, (size_t)k);
        PyMem_Free(buf);
        return out;
    }
    if (n > PY_SSIZE_T_MAX / (3 * (Py_ssize_t)sizeof(Py_UCS4)) - 1)
        return PyErr_NoMemory();
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    Py_UCS4 *buf = PyMem_Malloc((size_t)(3 * n + 1) * sizeof(Py_UCS4));
    if (!buf)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = AT(t, i);
        if (Py_UNICODE_ISSPACE(c)) {
            gap = k > 0;
            continue;
        }
        if (gap) {
            buf[k++] = ' ';
            gap = 0;
        }
        if (c < 0x80)
            buf[k++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
        else
            k += _PyUnicode_ToFoldedFull(c, buf + k);
    }
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, k);
    PyMem_Free(buf);
    return out;
}

static PyMethodDef methods[] = {
    {"tokenize_bytes", tokenize_bytes, METH_O, "Token hashes, sentences and first bytes."},
    {"tokenize_parts", tokenize_parts, METH_O, "tokenize_bytes of NUL-joined sentences."},
    {"split_spans", split_spans, METH_VARARGS, "Sentence spans of one region."},
    {"hints_present", hints_present, METH_VARARGS, "The hints that occur in some bytes."},
    {"gram_pairs", gram_pairs, METH_VARARGS, "(document, key) pairs of tokens' grams."},
    {"set_sentence_types", set_sentence_types, METH_VARARGS, "The classes add_sentences makes."},
    {"add_sentences", add_sentences, METH_VARARGS, "Sentences for the spans split_spans gave."},
    {"span_bytes", span_bytes, METH_O, "Sentences' spans as native int32 pairs, or None."},
    {"stored_sentences", stored_sentences, METH_VARARGS, "The sentences at stored spans."},
    {"set_line_type", set_line_type, METH_O, "The class split_lines makes."},
    {"split_lines", split_lines, METH_VARARGS, "A text's non-blank lines."},
    {"quote_groups", quote_groups, METH_VARARGS, "Double-quoted passages as flat spans."},
    {"single_spans", single_spans, METH_VARARGS, "Single-quoted passages, one Span a group."},
    {"kernel_fill", kernel_fill, METH_VARARGS, "The alignment kernel's matrices."},
    {"block_search", block_search, METH_VARARGS, "Ranks of keys in postings blocks."},
    {"pread_runs", pread_runs, METH_VARARGS, "pread of many runs of a file into a buffer."},
    {"copy_lookup", copy_lookup, METH_VARARGS, "A segment lookup of a pread copy."},
    {"ascii_fold", ascii_fold, METH_O, "A text's ASCII casefold as bytes, or None."},
    {"norm_fold", norm_fold, METH_O, "\" \".join(text.split()).casefold()."},
    {"ascii_screen", ascii_screen, METH_VARARGS, "Whether a word is in each text's fold."},
    {"span_groups", span_groups, METH_O, "quote_groups' flat list as lists of Span."},
    {"segment_tops", segment_tops, METH_VARARGS, "Each segment's top values and column."},
    {"weigh_bound", weigh_bound, METH_VARARGS, "_weigh in double, with error bounds."},
    {"top_two", top_two, METH_O, "argsort(-seg)[:2] when no tie decides it, or None."},
    {"doc_freq", doc_freq, METH_VARARGS, "Documents having each column, from the entries."},
    {"best_table", best_table, METH_VARARGS, "The live pairs of _all_best_matches."},
    {"union_sums", union_sums, METH_VARARGS, "union_containment's exact sums, or None."},
    {"set_edit_types", set_edit_types, METH_VARARGS, "The classes edit_list makes."},
    {"edit_list", edit_list, METH_VARARGS, "The Edit objects of an edit script's groups."},
    {"row_bytes", row_bytes, METH_O, "The bytes a docs row's checksum covers, or None."},
    {"encode_blocks", encode_blocks, METH_VARARGS, "Bit-packed postings blocks and directory."},
    {"decode_blocks", decode_blocks, METH_VARARGS, "The postings of consecutive blocks."},
    {"merge_runs", merge_runs, METH_VARARGS, "Sorted runs of postings merged into one."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void)
{
    init_tables();
    if (PyType_Ready(&StoredType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddObjectRef(m, "StoredSentences", (PyObject *)&StoredType) < 0)
        Py_CLEAR(m);
    return m;
}
