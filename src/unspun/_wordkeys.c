/* Compiled twin of the per-word path of unspun.align.vectors (issues 11 and 14): the word
 * forms of a sentence (unspun.text.tokens._WORD_RE), their stemmed keys and classes
 * (vectors._classify: tokens.lex and vectors.stem) and the sentence's weights (_weights,
 * _bag, document_source_side). Each function gives exactly what the Python gives
 * (tests/test_wordkeys.py compares them on random text); vectors.py uses the Python code
 * whenever this module is missing.
 *
 *   forms         tokens.word_forms(text, start=0, end=None) (_WORD_RE.findall)
 *   sentence_bag  the weights, the weights outside quotes and the form count of _bag
 *   tokens        tokens.tokenize(text, start=0, end=None)
 *   norms         tokens.words(text[start:end]): the norms of tokenize's non-punctuation tokens
 *   source_rows   the keys, rows (int64), weights and totals (float32) of document_source_side
 *   source_hits   vectors._source_hits: several documents' source halves, stacked, as the
 *                 columns of one suspect's words (the entries of other words left out); a
 *                 document's sentences may be given as its stored spans (bytes)
 *
 * The word pattern is matched over all of Unicode with the re module's own character
 * classes (\w: str.isalnum or "_", \d: str.isdecimal). A form of ASCII characters (and the
 * curly apostrophe U+2019, which normalize_word folds to "'") is keyed here; any other form
 * is handed to vectors._classify, so accents, NFKD and non-ASCII case stay Python's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int kind;
    const void *data;
} Text;

#define AT(t, i) PyUnicode_READ((t).kind, (t).data, (i))

enum { STOP = 0, WORD = 1, NAME = 2 }; /* vectors._STOP, _WORD, _NAME */

/* 1: \d of the re module (str.isdecimal); 2: [^\W\d_], a word character (str.isalnum or
 * "_") but no decimal digit and no underscore; 0: neither. */
static const unsigned char ASCII_CLASS[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2,
    ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2,
    ['Q'] = 2, ['R'] = 2, ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2,
    ['Y'] = 2, ['Z'] = 2,
    ['a'] = 2, ['b'] = 2, ['c'] = 2, ['d'] = 2, ['e'] = 2, ['f'] = 2, ['g'] = 2, ['h'] = 2,
    ['i'] = 2, ['j'] = 2, ['k'] = 2, ['l'] = 2, ['m'] = 2, ['n'] = 2, ['o'] = 2, ['p'] = 2,
    ['q'] = 2, ['r'] = 2, ['s'] = 2, ['t'] = 2, ['u'] = 2, ['v'] = 2, ['w'] = 2, ['x'] = 2,
    ['y'] = 2, ['z'] = 2,
};

static int wide_class(Py_UCS4 c)
{
    return Py_UNICODE_ISDECIMAL(c) ? 1 : Py_UNICODE_ISALNUM(c) ? 2 : 0;
}

/* The class of every Latin-1 character (filled when the module loads): one look-up for the
 * characters of nearly every text, without a branch on ASCII. */
static unsigned char LATIN1_CLASS[256];

static void fill_latin1(void)
{
    for (int c = 0; c < 256; c++)
        LATIN1_CLASS[c] = (unsigned char)(c < 0x80 ? ASCII_CLASS[c] : wide_class((Py_UCS4)c));
}

#define CLASS_OF(c) ((c) < 0x100 ? LATIN1_CLASS[(c)] : wide_class(c))
#define IS_DEC(c) (CLASS_OF(c) == 1)
#define IS_LETTER(c) (CLASS_OF(c) == 2)

/* The next match of _WORD_RE in d[p:end] (the pattern sees nothing past end): 1 and its
 * span, or 0. Every alternative opens with a decimal digit (the number) or a letter (the
 * abbreviation, else the word), so every other character is skipped. One copy a str kind. */
#define NEXT_FORM(NAME, T)                                                                  \
    static int NAME(const T *d, Py_ssize_t p, Py_ssize_t end, Py_ssize_t *start,            \
                    Py_ssize_t *stop, int punct)                                            \
    {                                                                                       \
        for (; p < end; p++) {                                                              \
            int k = CLASS_OF(d[p]), kind = 1;                                               \
            Py_ssize_t q;                                                                   \
            if (k == 1) { /* \d+(?:[.,:]\d+)*%? */                                          \
                q = p + 1;                                                                  \
                while (q < end && IS_DEC(d[q]))                                             \
                    q++;                                                                    \
                while (q + 1 < end && (d[q] == '.' || d[q] == ',' || d[q] == ':')           \
                       && IS_DEC(d[q + 1])) {                                               \
                    q += 2;                                                                 \
                    while (q < end && IS_DEC(d[q]))                                         \
                        q++;                                                                \
                }                                                                           \
                if (q < end && d[q] == '%')                                                 \
                    q++;                                                                    \
            } else if (k == 2) {                                                            \
                int pairs = 0; /* (?:[^\W\d_]\.){2,} */                                     \
                q = p;                                                                      \
                while (q + 1 < end && d[q + 1] == '.' && IS_LETTER(d[q])) {                 \
                    q += 2;                                                                 \
                    pairs++;                                                                \
                }                                                                           \
                kind = 2;                                                                   \
                if (pairs < 2) { /* [^\W\d_]+(?:['\u2019\-][^\W\d_]+)* */                   \
                    kind = 3;                                                               \
                    q = p + 1;                                                              \
                    while (q < end && IS_LETTER(d[q]))                                      \
                        q++;                                                                \
                    while (q + 1 < end && (d[q] == '\'' || d[q] == '-' || d[q] == 0x2019)   \
                           && IS_LETTER(d[q + 1])) {                                        \
                        q += 2;                                                             \
                        while (q < end && IS_LETTER(d[q]))                                  \
                            q++;                                                            \
                    }                                                                       \
                }                                                                           \
            } else if (punct && d[p] != '_' && !Py_UNICODE_ISSPACE(d[p])) { /* [^\w\s] */  \
                kind = 4;                                                                   \
                q = p + 1;                                                                  \
            } else                                                                          \
                continue;                                                                   \
            *start = p;                                                                     \
            *stop = q;                                                                      \
            return kind;                                                                    \
        }                                                                                   \
        return 0;                                                                           \
    }

NEXT_FORM(next_form1, Py_UCS1)
NEXT_FORM(next_form2, Py_UCS2)
NEXT_FORM(next_form4, Py_UCS4)

/* The next match of _WORD_RE (punct 0) or _TOKEN_RE (punct 1): its kind (1 a number, 2 an
 * abbreviation, 3 a word, 4 punctuation) and span, or 0. */
static int next_token(Text t, Py_ssize_t p, Py_ssize_t end, Py_ssize_t *start, Py_ssize_t *stop,
                      int punct)
{
    if (t.kind == PyUnicode_1BYTE_KIND)
        return next_form1(t.data, p, end, start, stop, punct);
    if (t.kind == PyUnicode_2BYTE_KIND)
        return next_form2(t.data, p, end, start, stop, punct);
    return next_form4(t.data, p, end, start, stop, punct);
}

static int next_form(Text t, Py_ssize_t p, Py_ssize_t end, Py_ssize_t *start, Py_ssize_t *stop)
{
    return next_token(t, p, end, start, stop, 0) != 0;
}

/* ------------------------------------------------------------------ keys of forms */

#define MAX_RAW 64              /* longer forms go to Python (rare) */
#define INLINE 16               /* forms up to this long are cached (nearly all) */
#define MAX_ENTRIES 400000      /* the cache starts again when this full (as _WEIGHED does) */
#define APOS 0x80               /* U+2019 in a cached raw form */

static PyObject *stopwords, *classify_fn, *sum_fn;

/* One cached raw form: its bytes (zero-padded), key and classes, and the key's column in the
 * suspect of source_hits call number ``stamp`` (see hits_stamp): 32 bytes. */
typedef struct {
    uint64_t raw[INLINE / 8];
    PyObject *key; /* NULL: an empty slot */
    int32_t col;
    uint8_t len, cls_first, cls_rest, stamp;
} Entry;

static Entry *table;
static size_t mask, used;

/* Every cached key, mapped to itself: equal keys of different forms are one object, so that
 * source_hits tells a sentence's keys apart by address without reading them (each read of a
 * key object scattered in memory is a cache miss). It is emptied with the table, but never
 * while source_hits runs (in_hits): the keys it has met stay alive and one. */
static PyObject *canon;
static int in_hits;

/* The one object of key (borrowed; canon holds it), or NULL. Steals key. */
static PyObject *canonical(PyObject *key)
{
    if (!canon && !(canon = PyDict_New())) {
        Py_DECREF(key);
        return NULL;
    }
    PyObject *one = PyDict_SetDefault(canon, key, key);
    Py_DECREF(key);
    return one;
}

static uint32_t hash_raw(const uint64_t *raw, Py_ssize_t n)
{
    uint64_t h = (raw[0] ^ (raw[1] * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)n) * 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return (uint32_t)(h ^ (h >> 29));
}

static void clear_table(void)
{
    for (size_t i = 0; table && i <= mask; i++)
        Py_CLEAR(table[i].key);
    used = 0;
    if (canon && !in_hits)
        PyDict_Clear(canon);
}

static Entry *slot_of(Entry *tab, size_t m, uint32_t h, const uint64_t *raw, Py_ssize_t n)
{
    size_t i = h & m;
    for (;;) {
        Entry *e = &tab[i];
        if (!e->key || (e->len == n && e->raw[0] == raw[0] && e->raw[1] == raw[1]))
            return e;
        i = (i + 1) & m;
    }
}

/* Room for one more entry; -1 when out of memory. */
static int make_room(void)
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
                *slot_of(tab, m, hash_raw(table[i].raw, table[i].len), table[i].raw,
                         table[i].len) = table[i];
        PyMem_Free(table);
        table = tab;
        mask = m;
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

typedef union {
    unsigned char bytes[MAX_RAW];
    uint64_t words[MAX_RAW / 8];
} Raw;

/* Whether the form of n characters at a is of ASCII and U+2019 only, and at most MAX_RAW
 * long: then its bytes (U+2019 as APOS) are in raw. */
static int plain_raw(Text t, Py_ssize_t a, Py_ssize_t n, Raw *raw)
{
    if (n > MAX_RAW)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = AT(t, a + i);
        if (c < 0x80)
            raw->bytes[i] = (unsigned char)c;
        else if (c == 0x2019)
            raw->bytes[i] = APOS;
        else
            return 0;
    }
    return 1;
}

/* A form as the cache keys it, when it is plain (as plain_raw) and at most INLINE long: its
 * bytes packed into two words, the first byte lowest, zeros past its end, and their hash. */
typedef struct {
    uint64_t raw[2];
    uint32_t hash;
    int packed; /* 0: longer, or of another character (then raw and hash are not set) */
} Packed;

/* The words of a packed form of one str kind, built in registers (bytes stored one by one
 * and read back as words stall the read: it was a fifth of source_hits); 0 when not plain. */
#define PACK(NAME, T)                                                                       \
    static int NAME(const T *d, Py_ssize_t n, uint64_t *w)                                  \
    {                                                                                       \
        uint64_t lo = 0, hi = 0;                                                            \
        for (Py_ssize_t i = 0; i < n; i++) {                                                \
            uint64_t c = d[i];                                                              \
            if (c >= 0x80) {                                                                \
                if (c != 0x2019)                                                            \
                    return 0;                                                               \
                c = APOS;                                                                   \
            }                                                                               \
            if (i < 8)                                                                      \
                lo |= c << (8 * i);                                                         \
            else                                                                            \
                hi |= c << (8 * (i - 8));                                                   \
        }                                                                                   \
        w[0] = lo;                                                                          \
        w[1] = hi;                                                                          \
        return 1;                                                                           \
    }

PACK(pack1, Py_UCS1)
PACK(pack2, Py_UCS2)
PACK(pack4, Py_UCS4)

/* The Packed of the form of n characters at a of t (len characters long). */
static void pack_form(Text t, Py_ssize_t len, Py_ssize_t a, Py_ssize_t n, Packed *p)
{
    p->packed = 0;
    if (n > INLINE)
        return;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (t.kind == PyUnicode_1BYTE_KIND && a + INLINE <= len) {
        /* two loads then a mask: any byte of 0x80 or more is another character (the
         * Latin-1 kind holds no U+2019) */
        uint64_t lo, hi;
        const unsigned char *d = (const unsigned char *)t.data + a;
        memcpy(&lo, d, 8);
        memcpy(&hi, d + 8, 8);
        if (n < 8) {
            lo &= ((uint64_t)1 << (8 * n)) - 1;
            hi = 0;
        } else if (n < 16)
            hi &= ((uint64_t)1 << (8 * (n - 8))) - 1;
        if ((lo | hi) & 0x8080808080808080ULL)
            return;
        p->raw[0] = lo;
        p->raw[1] = hi;
    } else
#endif
    if (!(t.kind == PyUnicode_1BYTE_KIND ? pack1((const Py_UCS1 *)t.data + a, n, p->raw)
          : t.kind == PyUnicode_2BYTE_KIND ? pack2((const Py_UCS2 *)t.data + a, n, p->raw)
          : pack4((const Py_UCS4 *)t.data + a, n, p->raw)))
        return;
    p->hash = hash_raw(p->raw, n);
    p->packed = 1;
}

/* The key (a new reference) and class of the form text[a:b]; first: it opens its sentence.
 * pk: the form's Packed (NULL: made here). slot (when given): the form's cache entry (valid
 * until the next call), and then the key is borrowed (the entry's, not touched here); or NULL
 * when the form is not cached. */
static PyObject *form_key_at(PyObject *text, Text t, Py_ssize_t a, Py_ssize_t b,
                             const Packed *pk, int first, int *cls, Entry **slot)
{
    if (slot)
        *slot = NULL;
    Py_ssize_t n = b - a;
    Packed own;
    if (!pk) {
        pack_form(t, PyUnicode_GET_LENGTH(text), a, n, &own);
        pk = &own;
    }
    uint8_t cf, cr;
    if (!pk->packed) {
        Raw raw;
        if (!plain_raw(t, a, n, &raw)) { /* Python's own _classify: (key, class) */
            PyObject *form = PyUnicode_Substring(text, a, b);
            if (!form)
                return NULL;
            PyObject *got = PyObject_CallFunction(classify_fn, "OO", form,
                                                  first ? Py_True : Py_False);
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
        /* plain but longer than INLINE: not cached */
        PyObject *key = classify(raw.bytes, n, &cf, &cr);
        *cls = first ? cf : cr;
        return key;
    }
    uint32_t h = pk->hash;
    Entry *e = table ? slot_of(table, mask, h, pk->raw, n) : NULL;
    if (!e || !e->key) {
        unsigned char bytes[INLINE];
        for (Py_ssize_t i = 0; i < n; i++)
            bytes[i] = (unsigned char)(pk->raw[i / 8] >> (8 * (i % 8)));
        PyObject *key = classify(bytes, n, &cf, &cr);
        if (!key)
            return NULL;
        if (make_room() < 0) {
            Py_DECREF(key);
            return PyErr_NoMemory();
        }
        /* after make_room, which may empty canon with the table */
        if (!(key = canonical(key)))
            return NULL;
        Py_INCREF(key);
        e = slot_of(table, mask, h, pk->raw, n);
        e->raw[0] = pk->raw[0];
        e->raw[1] = pk->raw[1];
        e->stamp = 0;
        e->key = key; /* the table's reference */
        e->len = (uint8_t)n;
        e->cls_first = cf;
        e->cls_rest = cr;
        used++;
    }
    *cls = first ? e->cls_first : e->cls_rest;
    if (slot) {
        *slot = e;
        return e->key;
    }
    Py_INCREF(e->key);
    return e->key;
}

static PyObject *form_key(PyObject *text, Text t, Py_ssize_t a, Py_ssize_t b, int first, int *cls)
{
    return form_key_at(text, t, a, b, NULL, first, cls, NULL);
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

/* The (text, start=0, end=None) arguments of forms and tokens: ``end`` as re's endpos
 * (None or past the end: the end; negative: 0); ``start`` as given. */
static int span_args(PyObject *args, PyObject **text, Py_ssize_t *s, Py_ssize_t *e)
{
    PyObject *stop = Py_None;
    *s = 0;
    if (!PyArg_ParseTuple(args, "U|nO", text, s, &stop))
        return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(*text);
    *e = n;
    if (stop != Py_None && (*e = PyNumber_AsSsize_t(stop, PyExc_OverflowError)) == -1
        && PyErr_Occurred())
        return -1;
    *e = *e < 0 ? 0 : *e > n ? n : *e;
    return 0;
}

static PyObject *forms(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t s, e, a, b;
    if (span_args(args, &text, &s, &e) < 0)
        return NULL;
    s = s < 0 ? 0 : s; /* as re's pos: negative means 0 */
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
        for (Py_ssize_t r = 0; r < reg.n; r++) { /* (start, end) pairs, or any 2-sequence */
            PyObject *pair = PySequence_Tuple(PyList_GET_ITEM(regions, r));
            int ok = pair && PyArg_ParseTuple(pair, "nn", &reg.a[r], &reg.b[r]);
            Py_XDECREF(pair);
            if (!ok) {
                PyMem_Free(reg.a);
                return NULL;
            }
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

/* How one attribute of objects of one type is read: straight from its slot (offset), or
 * through getattr (offset -1). */
typedef struct {
    PyTypeObject *type; /* NULL: none yet */
    Py_ssize_t offset;
} Slot;

/* The Slot of attribute name of type tp: its offset when getattr would read it from an
 * object slot (tp keeps the generic getattr, and the first of its MRO to have name holds a
 * member descriptor of an object slot: a data descriptor, so an instance dict cannot shadow
 * it). Three getattr calls a sentence were a tenth of source_hits. */
static void find_slot(Slot *slot, PyTypeObject *tp, PyObject *name)
{
    slot->type = tp;
    slot->offset = -1;
    if (tp->tp_getattro != PyObject_GenericGetAttr)
        return;
    PyObject *d = PyObject_GetAttr((PyObject *)tp, name);
    if (!d) {
        PyErr_Clear();
        return;
    }
    if (Py_IS_TYPE(d, &PyMemberDescr_Type) && PyType_IsSubtype(tp, PyDescr_TYPE(d))) {
        PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type == T_OBJECT_EX)
            slot->offset = m->offset;
    }
    Py_DECREF(d);
}

/* getattr(obj, name) (a new reference), read from the slot when slot says so. */
static PyObject *slot_get(Slot *slot, PyObject *obj, PyObject *name)
{
    if (Py_TYPE(obj) != slot->type)
        find_slot(slot, Py_TYPE(obj), name);
    if (slot->offset >= 0) {
        PyObject *v = *(PyObject **)((char *)obj + slot->offset);
        if (v) {
            Py_INCREF(v);
            return v;
        }
    }
    return PyObject_GetAttr(obj, name); /* its AttributeError, or a getattr of its own */
}

/* Reads sentence.span.start and .end; made afresh for each call of source_rows or source_hits
 * (a class changed between two calls is looked at again). */
typedef struct {
    Slot span, start, end;
} SpanReader;

static PyObject *span_name, *start_name, *end_name;

static int span_names(void)
{
    return span_name || ((span_name = PyUnicode_InternFromString("span"))
                         && (start_name = PyUnicode_InternFromString("start"))
                         && (end_name = PyUnicode_InternFromString("end")))
           ? 0 : -1;
}

/* sentence.span.start and sentence.span.end (span_names must have run). */
static int span_of(SpanReader *r, PyObject *sent, Py_ssize_t *s, Py_ssize_t *e)
{
    PyObject *span = slot_get(&r->span, sent, span_name);
    if (!span)
        return -1;
    PyObject *a = slot_get(&r->start, span, start_name);
    PyObject *b = a ? slot_get(&r->end, span, end_name) : NULL;
    Py_DECREF(span);
    if (b) {
        *s = PyLong_AsSsize_t(a);
        *e = PyLong_AsSsize_t(b);
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    return b && !PyErr_Occurred() ? 0 : -1;
}

/* A growing buffer that becomes a bytearray (numpy reads it without a copy). */
typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static inline int buf_put(Buf *b, const void *item, size_t size)
{
    if (b->len + size > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        char *d = PyMem_Realloc(b->data, cap);
        if (!d) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, item, size);
    b->len += size;
    return 0;
}

static PyObject *source_rows(PyObject *self, PyObject *args)
{
    PyObject *text, *given, *tuple, *weigh[3];
    if (!ready() || !PyArg_ParseTuple(args, "UOO", &text, &given, &tuple)
        || parse_weigh(tuple, weigh) < 0)
        return NULL;
    if (span_names() < 0)
        return NULL;
    SpanReader reader = {{NULL, -1}, {NULL, -1}, {NULL, -1}};
    PyObject *sentences = PySequence_Fast(given, "sentences must be a sequence");
    if (!sentences)
        return NULL;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    Buf rows = {0}, weights = {0}, totals = {0};
    PyObject *keys = PyList_New(0), *out = NULL;
    if (!keys)
        goto done;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(sentences); i++) {
        Py_ssize_t s, e;
        if (span_of(&reader, PySequence_Fast_GET_ITEM(sentences, i), &s, &e) < 0
            || clamp(text, &s, &e) < 0)
            goto done;
        PyObject *bag = PyDict_New();
        if (!bag)
            goto done;
        Regions none = {NULL, NULL, 0};
        int bad = weigh_sentence(text, t, s, e, weigh, bag, NULL, &none) < 0;
        PyObject *key, *w;
        Py_ssize_t pos = 0;
        int64_t row = i;
        double sum = 0.0;
        while (!bad && PyDict_Next(bag, &pos, &key, &w)) {
            float f = (float)PyFloat_AS_DOUBLE(w);
            sum += PyFloat_AS_DOUBLE(w);
            bad = PyList_Append(keys, key) < 0 || buf_put(&weights, &f, sizeof f) < 0
                  || buf_put(&rows, &row, sizeof row) < 0;
        }
#if PY_VERSION_HEX >= 0x030C0000
        /* sum(bag.values()): the builtin adds floats with compensation since 3.12 */
        if (!bad) {
            PyObject *vals = PyDict_Values(bag), *total = vals ? PyObject_CallOneArg(sum_fn, vals) : NULL;
            sum = total ? PyFloat_AsDouble(total) : -1.0;
            bad = !total || PyErr_Occurred();
            Py_XDECREF(vals);
            Py_XDECREF(total);
        }
#endif
        /* sum(bag.values()) before 3.12: from 0, one float after the other (every weight
         * kept is above 0.0, so 0 + w is w) */
        float total = (float)sum;
        bad = bad || buf_put(&totals, &total, sizeof total) < 0;
        Py_DECREF(bag);
        if (bad)
            goto done;
    }
    PyObject *r = PyByteArray_FromStringAndSize(rows.data, (Py_ssize_t)rows.len);
    PyObject *w = PyByteArray_FromStringAndSize(weights.data, (Py_ssize_t)weights.len);
    PyObject *tt = PyByteArray_FromStringAndSize(totals.data, (Py_ssize_t)totals.len);
    if (r && w && tt)
        out = PyTuple_Pack(4, keys, r, w, tt);
    Py_XDECREF(r);
    Py_XDECREF(w);
    Py_XDECREF(tt);
done:
    Py_DECREF(sentences);
    Py_XDECREF(keys);
    PyMem_Free(rows.data);
    PyMem_Free(weights.data);
    PyMem_Free(totals.data);
    return out;
}

/* ------------------------------------------------------------------ source_hits */

/* One distinct key of a sentence (borrowed from canon: one object per key), its weight (a
 * class weight, the largest met) and its column among the suspect's words (-1: none). */
typedef struct {
    PyObject *key;
    PyObject *w;
    int32_t col;
} Seen;

/* The suspect's column of each of its keys, by the address of the key's one object (see
 * canon): an open-addressed table filled for each source_hits call. */
static PyObject **col_keys;
static int32_t *col_vals;
static size_t col_mask;

static size_t col_slot(PyObject *key)
{
    size_t i = (size_t)(((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ULL >> 20) & col_mask;
    while (col_keys[i] && col_keys[i] != key)
        i = (i + 1) & col_mask;
    return i;
}

/* The number of the source_hits call at hand, never 0 (a new entry's stamp): an entry whose
 * stamp is this holds its key's column in this call's suspect, found once instead of once a
 * sentence. */
static uint8_t hits_stamp;

/* The next call's stamp: at the wrap, every entry's is reset. */
static void next_stamp(void)
{
    if (++hits_stamp == 0) {
        for (size_t i = 0; table && i <= mask; i++)
            table[i].stamp = 0;
        hits_stamp = 1;
    }
}

/* The table of columns (a dict of str keys to columns under width), their keys made the
 * one object of each (so that a key met later in a source is found by address). */
static int fill_columns(PyObject *columns, Py_ssize_t width)
{
    size_t size = 64;
    while (size < 4 * (size_t)PyDict_GET_SIZE(columns))
        size *= 2;
    if (size > col_mask + 1 || !col_keys) {
        PyObject **keys = PyMem_Realloc(col_keys, size * sizeof(PyObject *));
        if (keys)
            col_keys = keys;
        int32_t *vals = keys ? PyMem_Realloc(col_vals, size * sizeof(int32_t)) : NULL;
        if (!vals) {
            PyErr_NoMemory();
            return -1;
        }
        col_vals = vals;
        col_mask = size - 1;
    }
    memset(col_keys, 0, (col_mask + 1) * sizeof(PyObject *));
    PyObject *key, *val;
    Py_ssize_t pos = 0;
    while (PyDict_Next(columns, &pos, &key, &val)) {
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "columns' keys must be str");
            return -1;
        }
        Py_ssize_t col = PyLong_AsSsize_t(val);
        if (col == -1 && PyErr_Occurred())
            return -1;
        if (col < 0 || col >= width) {
            PyErr_SetString(PyExc_ValueError, "a column out of range");
            return -1;
        }
        Py_INCREF(key);
        PyObject *one = canonical(key);
        if (!one)
            return -1;
        size_t i = col_slot(one);
        col_keys[i] = one;
        col_vals[i] = (int32_t)col;
    }
    return 0;
}

#define LINEAR 32 /* a sentence's keys are searched one by one up to this many */

/* Where key is among a long sentence's keys (see sentence_keys): an open-addressed table of
 * their indexes plus one (0: empty), by address. */
static uint32_t *where;
static size_t where_mask;

static size_t where_of(const Seen *seen, PyObject *key)
{
    size_t i = (size_t)(((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ULL >> 20) & where_mask;
    while (where[i] && seen[where[i] - 1].key != key)
        i = (i + 1) & where_mask;
    return i;
}

/* The table of seen[0:n] with room for as many again; -1 when out of memory. */
static int index_keys(const Seen *seen, Py_ssize_t n)
{
    size_t size = 1024;
    while (size < 4 * (size_t)n)
        size *= 2;
    if (size > where_mask + 1) {
        uint32_t *more = PyMem_Realloc(where, size * sizeof(uint32_t));
        if (!more) {
            PyErr_NoMemory();
            return -1;
        }
        where = more;
        where_mask = size - 1;
    }
    memset(where, 0, (where_mask + 1) * sizeof(uint32_t));
    for (Py_ssize_t k = 0; k < n; k++)
        where[where_of(seen, seen[k].key)] = (uint32_t)(k + 1);
    return 0;
}

/* A form of a sentence: its span and Packed. */
typedef struct {
    Py_ssize_t a, b;
    Packed pk;
} Form;

/* The forms of one sentence. */
typedef struct {
    Form *f;
    Py_ssize_t n;
    size_t cap;
} Forms;

/* The forms of the sentence at hand and of the next one (see source_hits). */
static Forms ahead[2];

/* The forms of text[s:e] into *into, packed, the cache entry of each asked for ahead (a
 * form's entry is most often far in memory: the misses overlap instead of coming one after
 * the other, and source_hits finds a sentence's forms while the one before is keyed): 0, or
 * -1. */
static int find_forms(PyObject *text, Text t, Py_ssize_t s, Py_ssize_t e, Forms *into)
{
    Py_ssize_t p = s, a, b, n = 0, len = PyUnicode_GET_LENGTH(text);
    while (next_form(t, p, e, &a, &b)) {
        if ((size_t)n + 1 > into->cap) {
            size_t cap = into->cap ? 2 * into->cap : 128;
            Form *more = PyMem_Realloc(into->f, cap * sizeof(Form));
            if (!more) {
                PyErr_NoMemory();
                return -1;
            }
            into->f = more;
            into->cap = cap;
        }
        Form *f = &into->f[n++];
        f->a = a;
        f->b = b;
        p = b;
        pack_form(t, len, a, b - a, &f->pk);
        if (table && f->pk.packed)
            __builtin_prefetch(&table[f->pk.hash & mask]);
    }
    into->n = n;
    return 0;
}

/* The distinct keys of a sentence's forms with their weights (as _weights: a key enters when
 * its weight first beats 0.0, and keeps the largest), in first-seen order, into *seen (grown
 * as needed): their number, or -1. Keys are told apart by address (see canon): one by one in
 * a short sentence, by a table in a long one. */
static Py_ssize_t sentence_keys(PyObject *text, Text t, const Forms *found,
                                PyObject *const *weigh, Seen **seen, Py_ssize_t *cap)
{
    Py_ssize_t forms = found->n, n = 0;
    const Form *spans = found->f;
    for (Py_ssize_t f = 0; f < forms; f++) {
        int cls = 0;
        Entry *slot;
        PyObject *key = form_key_at(text, t, spans[f].a, spans[f].b, &spans[f].pk, f == 0, &cls,
                                    &slot);
        if (!key || (!slot && !(key = canonical(key))))
            return -1;
        PyObject *w = weigh[cls];
        Py_ssize_t k = 0;
        size_t at = 0;
        if (n <= LINEAR) {
            while (k < n && (*seen)[k].key != key)
                k++;
        } else {
            at = where_of(*seen, key);
            k = where[at] ? (Py_ssize_t)where[at] - 1 : n;
        }
        if (k < n) {
            if (PyFloat_AS_DOUBLE(w) > PyFloat_AS_DOUBLE((*seen)[k].w))
                (*seen)[k].w = w;
            continue;
        }
        if (!(PyFloat_AS_DOUBLE(w) > 0.0))
            continue;
        int32_t col;
        if (slot && slot->stamp == hits_stamp)
            col = slot->col;
        else {
            size_t c = col_slot(key);
            col = col_keys[c] ? col_vals[c] : -1;
            if (slot) { /* the next form of this entry finds it there */
                slot->col = col;
                slot->stamp = hits_stamp;
            }
        }
        if (n == *cap) {
            Py_ssize_t grown = *cap ? 2 * *cap : 64;
            Seen *more = PyMem_Realloc(*seen, grown * sizeof(Seen));
            if (!more) {
                PyErr_NoMemory();
                return -1;
            }
            *seen = more;
            *cap = grown;
        }
        (*seen)[n++] = (Seen){key, w, col};
        if (n == LINEAR + 1 || (n > LINEAR && 2 * (size_t)n > where_mask + 1)) {
            if (index_keys(*seen, n) < 0)
                return -1;
        } else if (n > LINEAR)
            where[at] = (uint32_t)n;
    }
    return n;
}

/* sum(bag.values()) of a sentence's weights in first-seen order (see source_rows); -1.0 with
 * an error set on a failure. */
static double seen_sum(const Seen *seen, Py_ssize_t n)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *vals = PyList_New(n), *total = NULL;
    for (Py_ssize_t k = 0; vals && k < n; k++) {
        Py_INCREF(seen[k].w);
        PyList_SET_ITEM(vals, k, seen[k].w);
    }
    total = vals ? PyObject_CallOneArg(sum_fn, vals) : NULL;
    double sum = total ? PyFloat_AsDouble(total) : -1.0;
    Py_XDECREF(vals);
    Py_XDECREF(total);
    return sum;
#else
    double sum = 0.0;
    for (Py_ssize_t k = 0; k < n; k++)
        sum += PyFloat_AS_DOUBLE(seen[k].w);
    return sum;
#endif
}

/* The spans of a document's sentences, start and end of each. */
static Py_ssize_t *bounds;
static size_t bounds_cap;

static PyObject *source_hits(PyObject *self, PyObject *args)
{
    PyObject *texts, *lists, *tuple, *columns, *weigh[3];
    Py_ssize_t width;
    if (!ready() || !PyArg_ParseTuple(args, "O!O!OO!n", &PyList_Type, &texts, &PyList_Type,
                                      &lists, &tuple, &PyDict_Type, &columns, &width)
        || parse_weigh(tuple, weigh) < 0)
        return NULL;
    if (PyList_GET_SIZE(texts) != PyList_GET_SIZE(lists)) {
        PyErr_SetString(PyExc_ValueError, "one sentence list per text");
        return NULL;
    }
    if (span_names() < 0)
        return NULL;
    SpanReader reader = {{NULL, -1}, {NULL, -1}, {NULL, -1}};
    if (canon && PyDict_GET_SIZE(canon) > 2 * MAX_ENTRIES)
        clear_table(); /* and canon, as nothing holds its keys now */
    Buf cols = {0}, rows = {0}, weights = {0}, totals = {0};
    Seen *seen = NULL;
    Py_ssize_t cap = 0, n = 0;
    int32_t row = 0;
    PyObject *out = NULL;
    in_hits = 1;
    next_stamp();
    if (fill_columns(columns, width) < 0)
        goto done;
    for (Py_ssize_t d = 0; d < PyList_GET_SIZE(texts); d++) {
        PyObject *text = PyList_GET_ITEM(texts, d);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto done;
        }
        /* A document's sentences, or its stored spans: bytes of native int32 (start, end)
         * pairs, as an index keeps them (StoredSentences.spans: no Sentence is made). */
        PyObject *item = PyList_GET_ITEM(lists, d), *sentences = NULL;
        const char *packed = NULL;
        Py_ssize_t count;
        if (PyBytes_Check(item)) {
            if (PyBytes_GET_SIZE(item) % (2 * (Py_ssize_t)sizeof(int32_t))) {
                PyErr_SetString(PyExc_ValueError, "spans must be pairs of int32");
                goto done;
            }
            packed = PyBytes_AS_STRING(item);
            count = PyBytes_GET_SIZE(item) / (2 * (Py_ssize_t)sizeof(int32_t));
        } else {
            sentences = PySequence_Fast(item, "sentences must be a sequence");
            if (!sentences)
                goto done;
            count = PySequence_Fast_GET_SIZE(sentences);
        }
        Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
        /* every sentence's span first, so that the next sentence's forms are found (and
         * their entries fetched) while the one at hand is keyed */
        int bad = 0;
        if (2 * (size_t)count > bounds_cap) {
            Py_ssize_t *more = PyMem_Realloc(bounds, 2 * count * sizeof(Py_ssize_t));
            if (!more) {
                Py_XDECREF(sentences);
                PyErr_NoMemory();
                goto done;
            }
            bounds = more;
            bounds_cap = 2 * (size_t)count;
        }
        for (Py_ssize_t i = 0; !bad && i < count; i++) {
            if (packed) {
                int32_t pair[2];
                memcpy(pair, packed + 2 * sizeof(int32_t) * i, sizeof pair);
                bounds[2 * i] = pair[0];
                bounds[2 * i + 1] = pair[1];
            } else
                bad = span_of(&reader, PySequence_Fast_GET_ITEM(sentences, i),
                              &bounds[2 * i], &bounds[2 * i + 1]) < 0;
            bad = bad || clamp(text, &bounds[2 * i], &bounds[2 * i + 1]) < 0;
        }
        if (!bad && count)
            bad = find_forms(text, t, bounds[0], bounds[1], &ahead[0]) < 0;
        for (Py_ssize_t i = 0; !bad && i < count; i++, row++) {
            bad = (i + 1 < count && find_forms(text, t, bounds[2 * i + 2], bounds[2 * i + 3],
                                               &ahead[(i + 1) & 1]) < 0)
                  || (n = sentence_keys(text, t, &ahead[i & 1], weigh, &seen, &cap)) < 0;
            if (bad)
                break;
            double sum = seen_sum(seen, n);
            bad = sum == -1.0 && PyErr_Occurred();
            float total = (float)sum;
            bad = bad || buf_put(&totals, &total, sizeof total) < 0;
            for (Py_ssize_t k = 0; k < n && !bad; k++) {
                if (seen[k].col < 0)
                    continue;
                float f = (float)PyFloat_AS_DOUBLE(seen[k].w);
                bad = buf_put(&cols, &seen[k].col, sizeof(int32_t)) < 0
                      || buf_put(&rows, &row, sizeof row) < 0
                      || buf_put(&weights, &f, sizeof f) < 0;
            }
        }
        Py_XDECREF(sentences);
        if (bad)
            goto done;
    }
    PyObject *c = PyByteArray_FromStringAndSize(cols.data, (Py_ssize_t)cols.len);
    PyObject *r = PyByteArray_FromStringAndSize(rows.data, (Py_ssize_t)rows.len);
    PyObject *w = PyByteArray_FromStringAndSize(weights.data, (Py_ssize_t)weights.len);
    PyObject *tt = PyByteArray_FromStringAndSize(totals.data, (Py_ssize_t)totals.len);
    if (c && r && w && tt)
        out = PyTuple_Pack(4, c, r, w, tt);
    Py_XDECREF(c);
    Py_XDECREF(r);
    Py_XDECREF(w);
    Py_XDECREF(tt);
done:
    in_hits = 0;
    PyMem_Free(seen);
    PyMem_Free(cols.data);
    PyMem_Free(rows.data);
    PyMem_Free(weights.data);
    PyMem_Free(totals.data);
    return out;
}

/* ------------------------------------------------------------------ tokenize */

static PyTypeObject *token_type;
static PyObject *kind_names[5], *normalize_fn;

/* tokens._QUOTE_MAP of one character. */
static Py_UCS4 quote_folded(Py_UCS4 c)
{
    switch (c) {
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
        return '"';
    case 0x2018: case 0x2019: case 0x2032:
        return '\'';
    default:
        return c;
    }
}

/* The norm tokens.tokenize gives text[a:b], a token of ``kind`` (a new reference). */
static PyObject *token_norm(PyObject *text, Text t, Py_ssize_t a, Py_ssize_t b, int kind)
{
    char buf[MAX_RAW];
    Py_ssize_t n = b - a, m = 0;
    if (kind == 4)
        return PyUnicode_FromOrdinal(quote_folded(AT(t, a)));
    int plain = n <= MAX_RAW; /* ASCII, and U+2019 in a word */
    for (Py_ssize_t i = 0; plain && i < n; i++) {
        Py_UCS4 c = AT(t, a + i);
        if (c >= 0x80 && !(kind == 3 && c == 0x2019))
            plain = 0;
        else if (kind == 1) { /* num.replace(",", "") */
            if (c != ',')
                buf[m++] = (char)c;
        } else if (kind == 2) { /* abbr.replace(".", "").lower() */
            if (c != '.')
                buf[m++] = lower((unsigned char)c);
        } else /* normalize_word: _QUOTE_MAP, lower(), ASCII */
            buf[m++] = c == 0x2019 ? '\'' : lower((unsigned char)c);
    }
    if (plain)
        return PyUnicode_FromStringAndSize(buf, m);
    PyObject *raw = PyUnicode_Substring(text, a, b), *out = NULL;
    if (!raw)
        return NULL;
    if (kind == 3)
        out = PyObject_CallOneArg(normalize_fn, raw);
    else {
        PyObject *gone = PyUnicode_FromString(kind == 1 ? "," : "."), *empty = PyUnicode_New(0, 0);
        PyObject *cut = gone && empty ? PyUnicode_Replace(raw, gone, empty, -1) : NULL;
        Py_XDECREF(gone);
        Py_XDECREF(empty);
        if (cut && kind == 2) {
            out = PyObject_CallMethod(cut, "lower", NULL);
            Py_DECREF(cut);
        } else
            out = cut;
    }
    Py_DECREF(raw);
    return out;
}

/* span_args of tokens and norms: set_token_type must have run; a negative start is an error. */
static int token_args(PyObject *args, int ready, PyObject **text, Py_ssize_t *s, Py_ssize_t *e)
{
    if (!ready) {
        PyErr_SetString(PyExc_RuntimeError, "_wordkeys.set_token_type was not called");
        return -1;
    }
    if (span_args(args, text, s, e) < 0)
        return -1;
    if (*s < 0) {
        PyErr_SetString(PyExc_ValueError, "a negative start");
        return -1;
    }
    return 0;
}

static PyObject *tokens(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t s, e, a, b;
    if (token_args(args, token_type != NULL, &text, &s, &e) < 0)
        return NULL;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *out = PyList_New(0);
    int kind;
    while (out && (kind = next_token(t, s, e, &a, &b, 1))) {
        PyObject *norm = token_norm(text, t, a, b, kind), *at = NULL, *to = NULL, *tok = NULL;
        if (norm && (at = PyLong_FromSsize_t(a)) && (to = PyLong_FromSsize_t(b))
            && (tok = token_type->tp_alloc(token_type, 4))) {
            Py_INCREF(kind_names[kind]);
            PyTuple_SET_ITEM(tok, 0, norm);
            PyTuple_SET_ITEM(tok, 1, kind_names[kind]);
            PyTuple_SET_ITEM(tok, 2, at);
            PyTuple_SET_ITEM(tok, 3, to);
            int bad = PyList_Append(out, tok) < 0;
            Py_DECREF(tok);
            if (bad)
                Py_CLEAR(out);
        } else {
            Py_XDECREF(norm);
            Py_XDECREF(at);
            Py_XDECREF(to);
            Py_CLEAR(out);
        }
        s = b;
    }
    return out;
}

/* tokens.words(text[start:end]): the norms of tokenize's word, number and abbreviation
 * tokens, without building tokens (a trace takes the words of ~370 quotes). */
static PyObject *norms(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t s, e, a, b;
    if (token_args(args, normalize_fn != NULL, &text, &s, &e) < 0)
        return NULL;
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    PyObject *out = PyList_New(0);
    int kind;
    while (out && (kind = next_token(t, s, e, &a, &b, 0))) {
        PyObject *norm = token_norm(text, t, a, b, kind);
        if (!norm || PyList_Append(out, norm) < 0)
            Py_CLEAR(out);
        Py_XDECREF(norm);
        s = b;
    }
    return out;
}

static PyObject *set_token_type(PyObject *self, PyObject *args)
{
    PyObject *type, *names, *normalize;
    if (!PyArg_ParseTuple(args, "O!O!O", &PyType_Type, &type, &PyTuple_Type, &names, &normalize))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type) || PyTuple_GET_SIZE(names) != 4) {
        PyErr_SetString(PyExc_TypeError, "a tuple subclass and the names of four kinds");
        return NULL;
    }
    for (int k = 0; k < 4; k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k);
        if (!PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_TypeError, "kind names must be str");
            return NULL;
        }
        Py_INCREF(name);
        Py_XSETREF(kind_names[k + 1], name);
    }
    Py_INCREF(type);
    Py_INCREF(normalize);
    Py_XSETREF(token_type, (PyTypeObject *)type);
    Py_XSETREF(normalize_fn, normalize);
    Py_RETURN_NONE;
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
    {"source_rows", source_rows, METH_VARARGS, "(keys, rows, weights, totals) of sentences."},
    {"source_hits", source_hits, METH_VARARGS, "(columns, rows, weights, totals) of documents."},
    {"tokens", tokens, METH_VARARGS, "tokenize(text, start=0, end=None)."},
    {"norms", norms, METH_VARARGS, "tokens.words(text[start:end]) (start >= 0)."},
    {"set_token_type", set_token_type, METH_VARARGS, "Token, its kinds and normalize_word."},
    {"set_lexicon", set_lexicon, METH_VARARGS, "The stop words, _classify and sum."},
    {"cache_size", cache_size, METH_NOARGS, "The number of raw forms keyed in the cache."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_wordkeys", NULL, -1, methods};

PyMODINIT_FUNC PyInit__wordkeys(void)
{
    fill_latin1();
    return PyModule_Create(&module);
}
