/* Compiled twins of three build-path loops of unspun (issue 14). Each function gives exactly
 * what its pure-Python twin gives (tests/text/test_speedups.py compares them); the Python
 * code is used whenever this module is missing.
 *
 *   tokenize_bytes  unspun.fingerprint.bytetok.tokenize_sentences (after _encode)
 *   split_spans     one region of unspun.text.sentences.split_sentences
 *   hints_present   unspun.clean.rules._HintScan.present
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

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
 * (native order), one entry per token of the NUL-separated UTF-8 text ``raw``. */
static PyObject *tokenize_bytes(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *b = view.buf;
    Py_ssize_t n = view.len;
    unsigned char *cls = PyMem_Malloc(n ? n : 1);
    Py_ssize_t cap = n / 2 + 1;
    uint64_t *hashes = PyMem_Malloc(cap * sizeof(uint64_t));
    int32_t *sentence = PyMem_Malloc(cap * sizeof(int32_t));
    unsigned char *first = PyMem_Malloc(cap);
    PyObject *result = NULL;
    if (!cls || !hashes || !sentence || !first) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        cls[i] = CLASS[b[i]];
    /* Latin-1 and General Punctuation symbols (U+0080-U+00BF, U+2000-U+207F) separate. */
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        if (b[i] == 0xC2 && b[i + 1] < 0xC0)
            cls[i] = cls[i + 1] = OTHER;
        else if (b[i] == 0xE2 && i + 2 < n && (b[i + 1] & 0xFE) == 0x80)
            cls[i] = cls[i + 1] = cls[i + 2] = OTHER;
    }
    Py_ssize_t k = 0;
    int32_t nuls = 0;
    int in = 0;
    uint64_t h = 0, power = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        int here = i > 0 && i + 1 < n
                   && INSIDE[(cls[i - 1] * NCLASS + cls[i]) * NCLASS + cls[i + 1]];
        if (b[i] == 0)
            nuls++;
        if (here) {
            if (!in) {
                h = 0;
                power = 1;
                sentence[k] = nuls - 1;
                first[k] = b[i] >= 'A' && b[i] <= 'Z' ? 1 : (b[i] >= '0' && b[i] <= '9' ? 2 : 0);
            }
            unsigned char c = b[i];
            if (c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            h += (uint64_t)c * power;
            power *= BASE;
        } else if (in) {
            h ^= h >> 29;
            h *= FINAL;
            hashes[k++] = h >> 32;
        }
        in = here;
    }
    PyObject *ho = PyByteArray_FromStringAndSize((const char *)hashes, k * sizeof(uint64_t));
    PyObject *so = PyByteArray_FromStringAndSize((const char *)sentence, k * sizeof(int32_t));
    PyObject *fo = PyByteArray_FromStringAndSize((const char *)first, k);
    if (ho && so && fo)
        result = PyTuple_Pack(3, ho, so, fo);
    Py_XDECREF(ho);
    Py_XDECREF(so);
    Py_XDECREF(fo);
done:
    PyMem_Free(cls);
    PyMem_Free(hashes);
    PyMem_Free(sentence);
    PyMem_Free(first);
    PyBuffer_Release(&view);
    return result;
}

/* ------------------------------------------------------------------ split_spans */

typedef struct {
    int kind;
    const void *data;
} Text;

#define AT(t, i) PyUnicode_READ((t).kind, (t).data, (i))

static int is_mark(Py_UCS4 c) { return c == '.' || c == '!' || c == '?'; }
static int is_closer(Py_UCS4 c)
{
    return c == '\'' || c == '"' || c == 0x2019 || c == 0x201D || c == ')' || c == ']';
}
static int is_opener(Py_UCS4 c)
{
    return c == '\'' || c == '"' || c == 0x2018 || c == 0x201C || c == '(' || c == '[';
}

/* Whether str.isalpha() holds for text[lo:hi], and its lower() is in ``abbreviations``:
 * 1 a plain word not in the set, 0 anything else, -1 an error. */
static int plain_word(PyObject *text, Text t, Py_ssize_t lo, Py_ssize_t hi, PyObject *abbreviations)
{
    if (hi <= lo)
        return 0;
    int ascii = 1;
    for (Py_ssize_t i = lo; i < hi; i++) {
        Py_UCS4 c = AT(t, i);
        if (!Py_UNICODE_ISALPHA(c))
            return 0;
        if (c >= 0x80)
            ascii = 0;
    }
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
    return known < 0 ? -1 : !known;
}

/* _ends_in's decision for the candidate end ``e`` of a paragraph ending at ``end``: 1 a
 * boundary, 0 not, -1 an error. */
static int decide(PyObject *text, Text t, Py_ssize_t e, Py_ssize_t end, PyObject *abbreviations,
                  PyObject *is_boundary)
{
    if (e + 1 < end && e >= 2 && AT(t, e) == ' ' && AT(t, e - 1) == '.'
            && Py_UNICODE_ISLOWER(AT(t, e - 2))) {
        Py_UCS4 first = AT(t, e + 1);
        if (Py_UNICODE_ISLOWER(first) || first == ',' || first == ';' || first == ':')
            return 0;
        if (!Py_UNICODE_ISSPACE(first) && !is_opener(first)) {
            Py_ssize_t lo = e - 40 > 0 ? e - 40 : 0, w = lo;
            for (Py_ssize_t i = e - 2; i >= lo; i--)  /* text.rfind(" ", lo, e - 1) */
                if (AT(t, i) == ' ') {
                    w = i + 1;
                    break;
                }
            int plain = plain_word(text, t, w, e - 1, abbreviations);
            if (plain != 0)
                return plain;
        }
    }
    PyObject *r = PyObject_CallFunction(is_boundary, "Onn", text, e, end);
    if (!r)
        return -1;
    int yes = PyObject_IsTrue(r);
    Py_DECREF(r);
    return yes;
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
                     PyObject *abbreviations, PyObject *is_boundary, Py_ssize_t longest)
{
    Py_ssize_t s0 = start, p = start;
    while (p < end) {
        if (!is_mark(AT(t, p))) {
            p++;
            continue;
        }
        Py_ssize_t q = p;
        while (q < end && is_mark(AT(t, q)))
            q++;
        while (q < end && is_closer(AT(t, q)))
            q++;
        if (q < end && Py_UNICODE_ISSPACE(AT(t, q))) {
            int yes = decide(text, t, q, end, abbreviations, is_boundary);
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

/* split_spans(text, start, end, abbreviations, is_boundary, longest) -> [s, e, s, e, ...] */
static PyObject *split_spans(PyObject *self, PyObject *args)
{
    PyObject *text, *abbreviations, *is_boundary;
    Py_ssize_t start, end, longest;
    if (!PyArg_ParseTuple(args, "UnnOOn", &text, &start, &end, &abbreviations, &is_boundary,
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
    while (p < end) {
        if (AT(t, p) != '\n') {
            p++;
            continue;
        }
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
        if (paragraph(out, text, t, para, p, abbreviations, is_boundary, longest) < 0)
            goto fail;
        para = p = stop;
    }
    if (paragraph(out, text, t, para, end, abbreviations, is_boundary, longest) < 0)
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

static PyMethodDef methods[] = {
    {"tokenize_bytes", tokenize_bytes, METH_O, "Token hashes, sentences and first bytes."},
    {"split_spans", split_spans, METH_VARARGS, "Sentence spans of one region."},
    {"hints_present", hints_present, METH_VARARGS, "The hints that occur in some bytes."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void)
{
    init_tables();
    return PyModule_Create(&module);
}
