/* Compiled twin of the per-word path of unspun.align.vectors (issues 11 and 14): the word
 * forms of a sentence (unspun.text.tokens._WORD_RE), their stemmed keys and classes
 * (vectors._classify: tokens.lex and vectors.stem) and the sentence's weights (_weights,
 * _bag, document_source_side). Each function gives exactly what the Python gives
 * (tests/test_wordkeys.py compares them on random text); vectors.py uses the Python code
 * whenever this module is missing.
 *
 *   forms         tokens.word_forms(text, start=0, end=None) (_WORD_RE.findall)
 *   sentence_bag  the weights, the weights outside quotes and the form count of _bag
 *   source_rows   the keys, weights, sizes and totals of document_source_side
 *
 * The word pattern is matched over all of Unicode with the re module's own character
 * classes (\w: str.isalnum or "_", \d: str.isdecimal). A form of ASCII characters (and the
 * curly apostrophe U+2019, which normalize_word folds to "'") is keyed here; any other form
 * is handed to vectors._classify, so accents, NFKD and non-ASCII case stay Python's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int kind;
    const void *data;
} Text;

#define AT(t, i) PyUnicode_READ((t).kind, (t).data, (i))

enum { STOP = 0, WORD = 1, NAME = 2 }; /* vectors._STOP, _WORD, _NAME */

/* \d of the re module. */
static int is_dec(Py_UCS4 c)
{
    return c < 0x80 ? (c >= '0' && c <= '9') : Py_UNICODE_ISDECIMAL(c);
}

/* [^\W\d_] of the re module: a word character but no decimal digit and no underscore. */
static int is_letter(Py_UCS4 c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* The next match of _WORD_RE in text[p:end] (the pattern sees nothing past end): 1 and its
 * span, or 0. Every alternative opens with a decimal digit (the number) or a letter (the
 * abbreviation, else the word), so every other character is skipped. */
static int next_form(Text t, Py_ssize_t p, Py_ssize_t end, Py_ssize_t *start, Py_ssize_t *stop)
{
    for (; p < end; p++) {
        Py_UCS4 c = AT(t, p);
        Py_ssize_t q;
        if (is_dec(c)) { /* \d+(?:[.,:]\d+)*%? */
            q = p + 1;
            while (q < end && is_dec(AT(t, q)))
                q++;
            while (q + 1 < end) {
                Py_UCS4 s = AT(t, q);
                if ((s == '.' || s == ',' || s == ':') && is_dec(AT(t, q + 1))) {
                    q += 2;
                    while (q < end && is_dec(AT(t, q)))
                        q++;
                } else
                    break;
            }
            if (q < end && AT(t, q) == '%')
                q++;
        } else if (is_letter(c)) {
            int pairs = 0; /* (?:[^\W\d_]\.){2,} */
            q = p;
            while (q + 1 < end && is_letter(AT(t, q)) && AT(t, q + 1) == '.') {
                q += 2;
                pairs++;
            }
            if (pairs < 2) { /* [^\W\d_]+(?:['\u2019\-][^\W\d_]+)* */
                q = p + 1;
                while (q < end && is_letter(AT(t, q)))
                    q++;
                while (q + 1 < end) {
                    Py_UCS4 s = AT(t, q);
                    if ((s == '\'' || s == 0x2019 || s == '-') && is_letter(AT(t, q + 1))) {
                        q += 2;
                        while (q < end && is_letter(AT(t, q)))
                            q++;
                    } else
                        break;
                }
            }
        } else
            continue;
        *start = p;
        *stop = q;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ keys of forms */

#define MAX_RAW 64              /* longer forms go to Python (rare) */
#define MAX_ENTRIES 400000      /* the cache starts again when this full (as _WEIGHED does) */
#define APOS 0x80               /* U+2019 in a cached raw form */

static PyObject *stopwords, *classify_fn, *sum_fn;

typedef struct {
    uint64_t hash;
    PyObject *key; /* NULL: an empty slot */
    uint32_t off;  /* the raw form in arena */
    uint16_t len;
    uint8_t cls_first, cls_rest;
} Entry;

static Entry *table;
static size_t mask, used;
static unsigned char *arena;
static size_t arena_len, arena_cap;

static uint64_t hash_raw(const unsigned char *raw, Py_ssize_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (Py_ssize_t i = 0; i < n; i++)
        h = (h ^ raw[i]) * 0x100000001b3ULL;
    return h;
}

static void clear_table(void)
{
    for (size_t i = 0; table && i <= mask; i++)
        Py_CLEAR(table[i].key);
    used = 0;
    arena_len = 0;
}

static Entry *slot_of(Entry *tab, size_t m, uint64_t h, const unsigned char *raw, Py_ssize_t n)
{
    size_t i = (size_t)h & m;
    for (;;) {
        Entry *e = &tab[i];
        if (!e->key || (e->hash == h && e->len == n && !memcmp(arena + e->off, raw, n)))
            return e;
        i = (i + 1) & m;
    }
}

/* Room for one more entry (and n more arena bytes); -1 when out of memory. */
static int make_room(Py_ssize_t n)
{
    if (used >= MAX_ENTRIES)
        clear_table();
    if (!table || (used + 1) * 2 > mask + 1) {
        size_t m = table ? mask * 2 + 1 : (1 << 14) - 1;
        Entry *tab = PyMem_Calloc(m + 1, sizeof(Entry));
        if (!tab)
            return -1;
        for (size_t i = 0; table && i <= mask; i++)
            if (table[i].key)
                *slot_of(tab, m, table[i].hash, arena + table[i].off, table[i].len) = table[i];
        PyMem_Free(table);
        table = tab;
        mask = m;
    }
    if (arena_len + n > arena_cap) {
        size_t cap = arena_cap ? arena_cap * 2 : 1 << 16;
        while (cap < arena_len + n)
            cap *= 2;
        unsigned char *a = PyMem_Realloc(arena, cap);
        if (!a)
            return -1;
        arena = a;
        arena_cap = cap;
    }
    return 0;
}

/* vectors.stem over an ASCII norm: its new length. */
static Py_ssize_t stem(const char *norm, Py_ssize_t m)
{
    static const char *suffixes[] = {"ing", "ed", "es", "s"};
    if (m >= 2 && norm[m - 2] == '\'' && norm[m - 1] == 's')
        m -= 2;
    if (m > 4)
        for (int k = 0; k < 4; k++) {
            Py_ssize_t sl = (Py_ssize_t)strlen(suffixes[k]);
            if (!memcmp(norm + m - sl, suffixes[k], sl) && m - sl >= 3)
                return m - sl;
        }
    return m;
}

static char lower(unsigned char c) { return (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); }

/* vectors._classify of a raw form of ASCII and APOS bytes, for a first form and any other:
 * the key (a new reference) and both classes; NULL on an error. */
static PyObject *classify(const unsigned char *raw, Py_ssize_t n, uint8_t *first, uint8_t *rest)
{
    char norm[MAX_RAW];
    Py_ssize_t m = 0;
    *first = *rest = NAME; /* tokens.lex: numbers and abbreviations are never stop words */
    if (raw[0] >= '0' && raw[0] <= '9') {
        for (Py_ssize_t i = 0; i < n; i++)
            if (raw[i] != ',')
                norm[m++] = (char)raw[i];
    } else if (raw[n - 1] == '.' && n > 2) {
        for (Py_ssize_t i = 0; i < n; i++)
            if (raw[i] != '.')
                norm[m++] = lower(raw[i]);
    } else {
        for (Py_ssize_t i = 0; i < n; i++)
            norm[m++] = raw[i] == APOS ? '\'' : lower(raw[i]);
        PyObject *s = PyUnicode_FromStringAndSize(norm, m);
        if (!s)
            return NULL;
        int stop = PySet_Contains(stopwords, s);
        Py_DECREF(s);
        if (stop < 0)
            return NULL;
        if (stop)
            *first = *rest = STOP;
        else {
            *first = WORD;
            *rest = raw[0] >= 'A' && raw[0] <= 'Z' ? NAME : WORD;
        }
    }
    return PyUnicode_FromStringAndSize(norm, stem(norm, m));
}

/* The key (a new reference) and class of the form text[a:b]; first: it opens its sentence. */
static PyObject *form_key(PyObject *text, Text t, Py_ssize_t a, Py_ssize_t b, int first, int *cls)
{
    unsigned char raw[MAX_RAW];
    Py_ssize_t n = b - a;
    int plain = n <= MAX_RAW;
    for (Py_ssize_t i = 0; plain && i < n; i++) {
        Py_UCS4 c = AT(t, a + i);
        if (c < 0x80)
            raw[i] = (unsigned char)c;
        else if (c == 0x2019)
            raw[i] = APOS;
        else
            plain = 0;
    }
    if (!plain) { /* Python's own _classify: (key, class) */
        PyObject *form = PyUnicode_Substring(text, a, b);
        if (!form)
            return NULL;
        PyObject *got = PyObject_CallFunction(classify_fn, "OO", form, first ? Py_True : Py_False);
        Py_DECREF(form);
        if (!got)
            return NULL;
        PyObject *key = NULL;
        if (PyTuple_Check(got) && PyTuple_GET_SIZE(got) == 2) {
            key = PyTuple_GET_ITEM(got, 0);
            *cls = (int)PyLong_AsLong(PyTuple_GET_ITEM(got, 1));
            Py_INCREF(key);
        } else
            PyErr_SetString(PyExc_TypeError, "_classify must return (key, class)");
        Py_DECREF(got);
        if (key && (*cls < 0 || *cls > 2)) {
            Py_CLEAR(key);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a word class out of range");
        }
        return key;
    }
    uint64_t h = hash_raw(raw, n);
    Entry *e = table ? slot_of(table, mask, h, raw, n) : NULL;
    if (!e || !e->key) {
        uint8_t cf, cr;
        PyObject *key = classify(raw, n, &cf, &cr);
        if (!key)
            return NULL;
        if (make_room(n) < 0) {
            Py_DECREF(key);
            return PyErr_NoMemory();
        }
        e = slot_of(table, mask, h, raw, n);
        memcpy(arena + arena_len, raw, n);
        e->hash = h;
        e->key = key; /* the table's reference */
        e->off = (uint32_t)arena_len;
        e->len = (uint16_t)n;
        e->cls_first = cf;
        e->cls_rest = cr;
        arena_len += n;
        used++;
    }
    *cls = first ? e->cls_first : e->cls_rest;
    Py_INCREF(e->key);
    return e->key;
}

/* ``if w > d.get(key, 0.0): d[key] = w`` */
static int keep_max(PyObject *d, PyObject *key, PyObject *w)
{
    PyObject *cur = PyDict_GetItemWithError(d, key);
    if (!cur && PyErr_Occurred())
        return -1;
    if (PyFloat_AS_DOUBLE(w) > (cur ? PyFloat_AS_DOUBLE(cur) : 0.0))
        return PyDict_SetItem(d, key, w);
    return 0;
}

typedef struct {
    Py_ssize_t *a, *b;
    Py_ssize_t n;
} Regions;

/* The weights of text[s:e]'s keys into weights, and of those of its forms that start
 * outside every region into outside (when given): the number of forms, or -1. */
static Py_ssize_t weigh_sentence(PyObject *text, Text t, Py_ssize_t s, Py_ssize_t e,
                                 PyObject *const *weigh, PyObject *weights, PyObject *outside,
                                 const Regions *reg)
{
    Py_ssize_t p = s, a, b, n = 0;
    while (next_form(t, p, e, &a, &b)) {
        int cls = 0;
        PyObject *key = form_key(text, t, a, b, n == 0, &cls);
        if (!key)
            return -1;
        int bad = keep_max(weights, key, weigh[cls]) < 0;
        if (!bad && outside) {
            int inside = 0;
            for (Py_ssize_t r = 0; r < reg->n && !inside; r++)
                inside = reg->a[r] <= a && a < reg->b[r];
            bad = !inside && keep_max(outside, key, weigh[cls]) < 0;
        }
        Py_DECREF(key);
        if (bad)
            return -1;
        n++;
        p = b;
    }
    return n;
}

static int ready(void)
{
    if (!stopwords) {
        PyErr_SetString(PyExc_RuntimeError, "_wordkeys.set_lexicon was not called");
        return 0;
    }
    return 1;
}

/* The three class weights, floats (the caller checks their type). */
static int parse_weigh(PyObject *tuple, PyObject **weigh)
{
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) != 3) {
        PyErr_SetString(PyExc_TypeError, "weigh must be a tuple of three floats");
        return -1;
    }
    for (int k = 0; k < 3; k++) {
        weigh[k] = PyTuple_GET_ITEM(tuple, k);
        if (!PyFloat_CheckExact(weigh[k])) {
            PyErr_SetString(PyExc_TypeError, "weigh must be a tuple of three floats");
            return -1;
        }
    }
    return 0;
}

static int clamp(PyObject *text, Py_ssize_t *s, Py_ssize_t *e)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (*s < 0 || *e < 0) {
        PyErr_SetString(PyExc_ValueError, "negative offsets");
        return -1;
    }
    if (*e > n)
        *e = n;
    return 0;
}

static PyObject *forms(PyObject *self, PyObject *args)
{
    PyObject *text, *stop = Py_None;
    Py_ssize_t s = 0, e, a, b;
    if (!PyArg_ParseTuple(args, "U|nO", &text, &s, &stop))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    e = n;
    if (stop != Py_None && (e = PyNumber_AsSsize_t(stop, PyExc_OverflowError)) == -1
        && PyErr_Occurred())
        return NULL;
    /* as re's pos and endpos: negative means 0, past the end the end */
    s = s < 0 ? 0 : s;
    e = e < 0 ? 0 : e > n ? n : e;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *out = PyList_New(0);
    while (out && next_form(t, s, e, &a, &b)) {
        PyObject *form = PyUnicode_Substring(text, a, b);
        if (!form || PyList_Append(out, form) < 0) {
            Py_XDECREF(form);
            Py_CLEAR(out);
            break;
        }
        Py_DECREF(form);
        s = b;
    }
    return out;
}

static PyObject *sentence_bag(PyObject *self, PyObject *args)
{
    PyObject *text, *tuple, *regions, *weigh[3];
    Py_ssize_t s, e;
    if (!ready() || !PyArg_ParseTuple(args, "UnnOO!", &text, &s, &e, &tuple, &PyList_Type,
                                      &regions) || parse_weigh(tuple, weigh) < 0
        || clamp(text, &s, &e) < 0)
        return NULL;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    Regions reg = {NULL, NULL, PyList_GET_SIZE(regions)};
    if (reg.n) {
        reg.a = PyMem_Malloc(2 * reg.n * sizeof(Py_ssize_t));
        if (!reg.a)
            return PyErr_NoMemory();
        reg.b = reg.a + reg.n;
        for (Py_ssize_t r = 0; r < reg.n; r++)
            if (!PyArg_ParseTuple(PyList_GET_ITEM(regions, r), "nn", &reg.a[r], &reg.b[r])) {
                PyMem_Free(reg.a);
                return NULL;
            }
    }
    PyObject *weights = PyDict_New(), *outside = reg.n ? PyDict_New() : NULL, *out = NULL;
    if (weights && (outside || !reg.n)) {
        Py_ssize_t n = weigh_sentence(text, t, s, e, weigh, weights, outside, &reg);
        if (n >= 0)
            out = Py_BuildValue("OOn", weights, outside ? outside : weights, n);
    }
    PyMem_Free(reg.a);
    Py_XDECREF(weights);
    Py_XDECREF(outside);
    return out;
}

/* An int attribute of an attribute (sentence.span.start). */
static int span_of(PyObject *sent, PyObject *span_name, PyObject *start_name,
                   PyObject *end_name, Py_ssize_t *s, Py_ssize_t *e)
{
    PyObject *span = PyObject_GetAttr(sent, span_name);
    if (!span)
        return -1;
    PyObject *a = PyObject_GetAttr(span, start_name), *b = a ? PyObject_GetAttr(span, end_name) : NULL;
    Py_DECREF(span);
    if (b) {
        *s = PyLong_AsSsize_t(a);
        *e = PyLong_AsSsize_t(b);
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    return b && !PyErr_Occurred() ? 0 : -1;
}

static PyObject *source_rows(PyObject *self, PyObject *args)
{
    static PyObject *span_name, *start_name, *end_name;
    PyObject *text, *given, *tuple, *weigh[3];
    if (!ready() || !PyArg_ParseTuple(args, "UOO", &text, &given, &tuple)
        || parse_weigh(tuple, weigh) < 0)
        return NULL;
    if (!span_name && (!(span_name = PyUnicode_InternFromString("span"))
                       || !(start_name = PyUnicode_InternFromString("start"))
                       || !(end_name = PyUnicode_InternFromString("end"))))
        return NULL;
    PyObject *sentences = PySequence_Fast(given, "sentences must be a sequence");
    if (!sentences)
        return NULL;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *keys = PyList_New(0), *values = PyList_New(0), *sizes = PyList_New(0);
    PyObject *totals = PyList_New(0), *out = NULL;
    if (!keys || !values || !sizes || !totals)
        goto done;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(sentences); i++) {
        Py_ssize_t s, e;
        if (span_of(PySequence_Fast_GET_ITEM(sentences, i), span_name, start_name, end_name, &s, &e) < 0
            || clamp(text, &s, &e) < 0)
            goto done;
        PyObject *bag = PyDict_New();
        if (!bag)
            goto done;
        Regions none = {NULL, NULL, 0};
        int bad = weigh_sentence(text, t, s, e, weigh, bag, NULL, &none) < 0;
        PyObject *key, *w, *size = NULL, *total = NULL, *vals = NULL;
        Py_ssize_t pos = 0;
        while (!bad && PyDict_Next(bag, &pos, &key, &w))
            bad = PyList_Append(keys, key) < 0 || PyList_Append(values, w) < 0;
        if (!bad) { /* sum(bag.values()): the builtin's own order and rounding */
            bad = !(size = PyLong_FromSsize_t(PyDict_GET_SIZE(bag)))
                  || !(vals = PyDict_Values(bag))
                  || !(total = PyObject_CallOneArg(sum_fn, vals))
                  || PyList_Append(sizes, size) < 0 || PyList_Append(totals, total) < 0;
        }
        Py_XDECREF(size);
        Py_XDECREF(vals);
        Py_XDECREF(total);
        Py_DECREF(bag);
        if (bad)
            goto done;
    }
    out = PyTuple_Pack(4, keys, values, sizes, totals);
done:
    Py_DECREF(sentences);
    Py_XDECREF(keys);
    Py_XDECREF(values);
    Py_XDECREF(sizes);
    Py_XDECREF(totals);
    return out;
}

static PyObject *set_lexicon(PyObject *self, PyObject *args)
{
    PyObject *stop, *classify, *sum;
    if (!PyArg_ParseTuple(args, "O!OO", &PyFrozenSet_Type, &stop, &classify, &sum))
        return NULL;
    Py_INCREF(stop);
    Py_INCREF(classify);
    Py_INCREF(sum);
    Py_XSETREF(stopwords, stop);
    Py_XSETREF(classify_fn, classify);
    Py_XSETREF(sum_fn, sum);
    clear_table(); /* keys of the old lexicon */
    Py_RETURN_NONE;
}

static PyObject *cache_size(PyObject *self, PyObject *noargs)
{
    return PyLong_FromSize_t(used);
}

static PyMethodDef methods[] = {
    {"forms", forms, METH_VARARGS, "word_forms(text, start=0, end=None)."},
    {"sentence_bag", sentence_bag, METH_VARARGS, "(weights, outside, forms) of one sentence."},
    {"source_rows", source_rows, METH_VARARGS, "(keys, weights, sizes, totals) of sentences."},
    {"set_lexicon", set_lexicon, METH_VARARGS, "The stop words, _classify and sum."},
    {"cache_size", cache_size, METH_NOARGS, "The number of raw forms keyed in the cache."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_wordkeys", NULL, -1, methods};

PyMODINIT_FUNC PyInit__wordkeys(void)
{
    return PyModule_Create(&module);
}
