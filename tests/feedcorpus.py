"""A generated corpus of RSS/Atom/RDF feeds in the shapes real feeds take (after reading
feedparser's well-formed and ill-formed test feeds): every encoding the field meets, BOMs,
namespaced elements, Atom 0.3, RSS 0.90/1.0 RDF, markup in descriptions and ill-formed XML.

Each case says what must come out: the entry titles/texts that must be read, or the refusal
reason a feed must get. Nothing here is copied from another project.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: The Indonesian sentence every feed carries, plus a word in the encoding's own script.
WORD = "Pelayanan publik"
SCRIPT_WORDS = {
    "big5": "公務員中立", "gb2312": "公务员中立", "gbk": "公务员中立", "gb18030": "公务员中立",
    "euc-kr": "공무원 중립", "shift_jis": "公務員の中立", "euc-jp": "公務員の中立", "iso-2022-jp": "公務員",
    "koi8-r": "Нейтралитет", "windows-1251": "Нейтралитет", "iso-8859-5": "Нейтралитет",
    "windows-1252": "don’t café", "iso-8859-1": "café", "iso-8859-15": "café €", "utf-8": "kopi ☕ café",
    "utf-16": "kopi café", "tis-620": "ความเป็นกลาง", "windows-1256": "الحياد", "iso-8859-7": "ουδετερότητα",
    "cp1250": "Źródło", "mac_roman": "café",
}


@dataclass
class Case:
    name: str
    body: bytes
    content_type: str
    expect_texts: tuple[str, ...] = ()   # substrings some entry's text must contain
    expect_count: int | None = None      # entries that must be read (None: at least one)
    reason: str | None = None            # a refused feed's reason code


def _rss(title: str, description: str, *, ns: str = "", extra: str = "", root_attrs: str = "") -> str:
    return (f'<rss version="2.0"{root_attrs}{ns}><channel><title>Blog ASN</title><link>https://asn.example/</link>'
            f"<item><title>{title}</title><link>https://asn.example/1</link><guid>g1</guid>"
            f"<description>{description}</description>{extra}</item>"
            f"<item><title>Kedua</title><guid>g2</guid><description>isi kedua</description></item>"
            f"</channel></rss>")


def _encoded(text: str, encoding: str, declared: str | None, *, bom: bool = False) -> bytes:
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else '<?xml version="1.0"?>\n'
    data = (declaration + text).encode(encoding)
    if bom:
        data = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
                "utf-16-be": codecs.BOM_UTF16_BE}[encoding] + data
    return data


def encoding_cases() -> list[Case]:
    cases = []
    for encoding, word in SCRIPT_WORDS.items():
        codec = "utf-16-le" if encoding == "utf-16" else encoding
        text = _rss(f"{WORD} {word}", f"Catatan {word}")
        if encoding == "utf-16":
            cases.append(Case("utf16-bom", _encoded(text, "utf-16-le", "utf-16", bom=True), "application/rss+xml",
                              (word,), 2))
            continue
        body = _encoded(text, codec, encoding)
        # declared in the XML only
        cases.append(Case(f"{encoding}-declared", body, "application/rss+xml", (word,), 2))
        # declared in HTTP only (no XML encoding)
        cases.append(Case(f"{encoding}-http", _encoded(text, codec, None), f"application/xml; charset={encoding}",
                          (word,), 2))
        # the same text as Atom and as RDF, declared in the XML
        atom = (f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id"><title>{word}</title><entry>'
                f"<id>tag:asn.example,2026:{encoding}</id><title>{WORD} {word}</title>"
                f'<content type="html">&lt;p&gt;Catatan {word}&lt;/p&gt;</content></entry></feed>')
        cases.append(Case(f"{encoding}-atom", _encoded(atom, codec, encoding), "application/atom+xml", (word,), 1))
        rdf = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
               f'<item rdf:about="https://asn.example/{encoding}"><title>{WORD} {word}</title></item></rdf:RDF>')
        cases.append(Case(f"{encoding}-rdf", _encoded(rdf, codec, encoding), "application/rdf+xml", (word,), 1))
        # HTTP charset and declaration agree, upper-case alias
        cases.append(Case(f"{encoding}-both", body, f"text/xml; charset={encoding.upper()}", (word,), 2))
    # windows-1252 bytes declared latin-1 (0x92 is ’, not a C1 control)
    cp = _rss("Saya don’t setuju", "“kutip” – strip").encode("cp1252")
    for label in ("ISO-8859-1", "latin-1", "us-ascii", "iso_8859-1"):
        cases.append(Case(f"cp1252-as-{label}", f'<?xml version="1.0" encoding="{label}"?>'.encode() + cp,
                          "application/rss+xml", ("don’t", "“kutip” – strip"), 2))
        cases.append(Case(f"cp1252-http-{label}", cp, f"text/xml; charset={label}", ("don’t",), 2))
    # unknown encoding names: the bytes are still read (UTF-8, then windows-1252)
    for label in ("x-unknown-enc", "utf-9", "klingon", "ISO-8859-99", "windows-9999", "x-mac-roman-foo"):
        cases.append(Case(f"unknown-{label}", _encoded(_rss("Kopi café", "isi"), "utf-8", label),
                          "application/rss+xml", ("café",), 2))
        cases.append(Case(f"unknown-latin-{label}", _encoded(_rss("Kopi café", "isi"), "cp1252", label),
                          "application/rss+xml", ("café",), 2))
        cases.append(Case(f"unknown-http-{label}", _encoded(_rss("Kopi café", "isi"), "utf-8", None),
                          f"text/xml; charset={label}", ("café",), 2))
    # BOMs, including a BOM that contradicts the declaration and the HTTP header
    for codec in ("utf-8", "utf-16-le", "utf-16-be"):
        text = _rss("Berita café ☕", "isi")
        cases.append(Case(f"bom-{codec}", _encoded(text, codec, "utf-8" if codec == "utf-8" else "utf-16", bom=True),
                          "text/xml; charset=iso-8859-1", ("café ☕",), 2))
        cases.append(Case(f"bom-{codec}-lying", _encoded(text, codec, "iso-8859-1", bom=True),
                          "application/rss+xml", ("café ☕",), 2))
    # HTTP charset wins over the declaration (the bytes really are UTF-8)
    cases.append(Case("http-beats-declaration", _encoded(_rss("Kopi café", "isi"), "utf-8", "iso-8859-1"),
                      "text/xml; charset=utf-8", ("Kopi café",), 2))
    # UTF-8 bytes whose declaration (or HTTP header) claims UTF-16: the claim is impossible
    cases.append(Case("utf8-declared-utf16", _encoded(_rss("Kopi café", "isi"), "utf-8", "UTF-16"),
                      "application/rss+xml", ("Kopi café",), 2))
    cases.append(Case("utf8-http-utf16", _encoded(_rss("Kopi café", "isi"), "utf-8", None),
                      "text/xml; charset=utf-16", ("Kopi café",), 2))
    # UTF-8 bytes served with the server's default "charset=ISO-8859-1": no mojibake ("cafÃ©")
    cases.append(Case("utf8-served-as-latin1", _encoded(_rss("Kopi café ☕", "isi"), "utf-8", "utf-8"),
                      "text/xml; charset=ISO-8859-1", ("Kopi café ☕",), 2))
    # the declaration says UTF-8 but the bytes are windows-1252: fall back, do not crash
    cases.append(Case("declared-utf8-but-cp1252", _encoded(_rss("Kopi café", "isi"), "cp1252", "utf-8"),
                      "application/rss+xml", ("Kopi café",), 2))
    return cases


NAMESPACED_RSS = (
    "http://backend.userland.com/rss2", "http://backend.userland.com/rss", "http://blogs.law.harvard.edu/tech/rss",
)


def shape_cases() -> list[Case]:
    cases = []
    xml = '<?xml version="1.0" encoding="utf-8"?>\n'
    for uri in NAMESPACED_RSS:
        cases.append(Case(f"rss-ns-{uri.split('/')[2]}-{uri.rsplit('/', 1)[-1]}", (xml + _rss("Bernamespace", "isi",
                          ns=f' xmlns="{uri}"')).encode(), "application/rss+xml", ("Bernamespace",), 2))
    # markup inside <description> as elements, escaped, in CDATA and as an XHTML div; plain and
    # namespaced RSS
    descriptions = ("<p>Dukung <b>paslon</b> nomor 2</p>",
                    "&lt;p&gt;Dukung &lt;b&gt;paslon&lt;/b&gt; nomor 2&lt;/p&gt;",
                    "<![CDATA[<p>Dukung <b>paslon</b> nomor 2</p>]]>",
                    '<div xmlns="http://www.w3.org/1999/xhtml"><p>Dukung <b>paslon</b> nomor 2</p></div>')
    for n, ns in enumerate(("", *NAMESPACED_RSS)):
        namespace = f' xmlns="{ns}"' if ns else ""
        for i, description in enumerate(descriptions):
            cases.append(Case(f"description-markup-{n}-{i}", (xml + _rss("Judul", description, ns=namespace)).encode(),
                              "application/rss+xml", ("Dukung paslon nomor 2",), 2))
    dc = ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' \
         'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"'
    fields = {
        "dc-title": ("<dc:title>Judul DC</dc:title>", "Judul DC"),
        "media-title": ("<media:title>Judul media</media:title>", "Judul media"),
        "itunes-summary": ("<itunes:summary>Ringkasan siniar</itunes:summary>", "Ringkasan siniar"),
        "media-description": ("<media:group><media:description>Deskripsi media</media:description></media:group>",
                              "Deskripsi media"),
    }
    for key, (element, expected) in fields.items():
        body = (f'{xml}<rss version="2.0"{dc}><channel><title>S</title><item><guid>x1</guid>{element}'
                f"</item></channel></rss>")
        cases.append(Case(f"field-{key}", body.encode(), "application/rss+xml", (expected,), 1))
    for term in ("created", "issued", "modified"):
        body = (f'{xml}<rss version="2.0"{dc}><channel><title>S</title><item><guid>x1</guid><title>Tanggal</title>'
                f"<dcterms:{term}>2026-03-02T08:15:09+07:00</dcterms:{term}></item></channel></rss>")
        cases.append(Case(f"dcterms-{term}", body.encode(), "application/rss+xml", ("Tanggal",), 1))
    # Atom 1.0 with html and xhtml content holding a <div>, and Atom 0.3 in its modes
    atom = '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
    for kind, content in (("html", "<div><p>Isi <em>html</em> elemen</p></div>"),
                          ("html", "&lt;div&gt;Isi &lt;em&gt;html&lt;/em&gt; elemen&lt;/div&gt;"),
                          ("xhtml", '<div xmlns="http://www.w3.org/1999/xhtml"><p>Isi <em>html</em> elemen</p></div>'),
                          ("text/html", "<![CDATA[<div>Isi <em>html</em> elemen</div>]]>")):
        body = (f"{xml}{atom}<entry><id>tag:a,2026:1</id><title>T</title><updated>2026-03-02T01:00:00Z</updated>"
                f'<content type="{kind}">{content}</content></entry></feed>')
        cases.append(Case(f"atom-{kind.replace('/', '-')}-{len(cases)}", body.encode(), "application/atom+xml",
                          ("Isi html elemen",), 1))
    atom03 = '<feed version="0.3" xmlns="http://purl.org/atom/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    for mode, content in (("escaped", "&lt;p&gt;Isi Atom nol tiga&lt;/p&gt;"),
                          ("xml", '<div xmlns="http://www.w3.org/1999/xhtml"><p>Isi Atom nol tiga</p></div>'),
                          ("", "Isi Atom nol tiga")):
        mode_attr = f' mode="{mode}"' if mode else ""
        for date in ("issued", "modified", "created"):
            body = (f"{xml}{atom03}<title>Lama</title><entry><id>tag:b,2004:{mode}{date}</id><title>Judul 0.3</title>"
                    f'<link rel="alternate" type="text/html" href="https://asn.example/03"/>'
                    f"<{date}>2004-03-02T08:15:09+07:00</{date}>"
                    f'<content type="text/html"{mode_attr}>{content}</content></entry></feed>')
            cases.append(Case(f"atom03-{mode or 'plain'}-{date}", body.encode(), "application/atom+xml",
                              ("Isi Atom nol tiga",), 1))
    # <rss><item> without a <channel>, and Atom without its xmlns, as feed readers accept them
    cases.append(Case("rss-items-without-channel", (xml + '<rss version="2.0"><item><title>Tanpa kanal</title>'
                      "<guid>n1</guid></item></rss>").encode(), "application/rss+xml", ("Tanpa kanal",), 1))
    cases.append(Case("atom-without-namespace", (xml + "<feed><entry><id>tag:c,1</id><title>Atom polos</title>"
                      "<summary>tanpa xmlns</summary></entry></feed>").encode(), "application/atom+xml",
                      ("Atom polos\n\ntanpa xmlns",), 1))
    rdf = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="{ns}" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://asn.example/"><title>R</title>'
           '</channel><item rdf:about="https://asn.example/r{n}"><title>Judul RDF</title>'
           "<description>Isi RDF {n}</description><dc:date>2026-03-02T08:15:09+07:00</dc:date></item></rdf:RDF>")
    for n, ns in enumerate(("http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/")):
        cases.append(Case(f"rdf-{n}", (xml + rdf.format(ns=ns, n=n)).encode(), "application/rdf+xml",
                          (f"Isi RDF {n}",), 1))
    return cases


def illformed_cases() -> list[Case]:
    xml = '<?xml version="1.0" encoding="utf-8"?>\n'
    recoverable = {
        "unclosed-p": _rss("Tag p", "<p>tidak ditutup"),
        "bare-ampersand": _rss("Kopi & teh", "gula & susu"),
        "html-entity": _rss("Harga&nbsp;kopi", "Rp&nbsp;5.000 &copy; desa"),
        "unknown-entity": _rss("Entitas &foo; asing", "isi"),
        "unclosed-item": '<rss version="2.0"><channel><title>S</title><item><title>Item terbuka</title>'
                         "<guid>u1</guid><item><title>Kedua</title><guid>u2</guid></item></channel></rss>",
        "mismatched": '<rss version="2.0"><channel><title>S</title><item><title>Salah <b>tutup</i></title>'
                      "<guid>m1</guid></item></channel></rss>",
        "unquoted-attr": '<rss version=2.0><channel><title>S</title><item><title>Atribut</title>'
                         "<guid>q1</guid></item></channel></rss>",
        "lt-in-text": _rss("Nilai 3 < 5", "isi"),
        "garbage-after-root": _rss("Sampah setelah", "isi") + "<p>sampah</p>",
        "two-declarations": '<?xml version="1.0"?>' + _rss("Dua deklarasi", "isi"),
        "control-chars": _rss("Karakter\x01kontrol", "isi\x0b"),
        "undeclared-prefix": _rss("Prefiks", "isi", extra="<dc:creator>Budi</dc:creator><foo:bar>x</foo:bar>"),
        "doctype-html": '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">' + _rss("Doctype 0.91", "isi &eacute;"),
    }
    expected = {'unclosed-p': 'Tag p\n\ntidak ditutup', 'bare-ampersand': 'Kopi & teh\n\ngula & susu', 'html-entity': 'Rp 5.000 © desa', 'unknown-entity': 'Entitas &foo; asing', 'unclosed-item': 'Item terbuka', 'mismatched': 'Salah tutup', 'unquoted-attr': 'Atribut', 'lt-in-text': 'Nilai 3 < 5', 'garbage-after-root': 'Sampah setelah', 'two-declarations': 'Dua deklarasi', 'control-chars': 'Karakterkontrol', 'undeclared-prefix': 'Prefiks', 'doctype-html': 'isi é'}
    cases = [Case(f"ill-{name}", (xml + body).encode("utf-8"), "application/rss+xml",
                  (expected[name],), 1 if name in ("mismatched", "unquoted-attr") else 2)
             for name, body in recoverable.items()]
    atom_bad = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>i1</id><title>Atom rusak'
                '</title><content type="html"><p>tanpa escape<br></content></entry></feed>')
    cases.append(Case("ill-atom-raw-html", (xml + atom_bad).encode(), "application/atom+xml", ("tanpa escape",), 1))
    refused = {
        "empty": (b"", "empty"),
        "whitespace": (b"  \n\t ", "empty"),
        "html-page": (b"<!DOCTYPE html><html><head><title>Masuk</title></head><body><p>Login</p></body></html>",
                      "not_feed"),
        "json": (b'{"error": "not found"}', "not_xml"),
        "plain-text": (b"Service Unavailable", "not_xml"),
        "truncated": (xml.encode() + b'<rss version="2.0"><channel><title>Putus</title><item><title>Aw', "truncated"),
        "truncated-entry": (xml.encode() + b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>t',
                            "truncated"),
        "rss-no-channel": (xml.encode() + b'<rss version="2.0"><title>tanpa kanal</title></rss>', "no_channel"),
        "upper-case-root": (b'<RSS version="2.0"><CHANNEL><TITLE>S</TITLE><item><title>Besar</title></item>'
                            b"</CHANNEL></RSS>", "not_feed"),
        "svg": (xml.encode() + b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "not_feed"),
        "binary": (bytes(range(256)) * 4, "not_xml"),
        "billion-laughs": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                           b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                           b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                           b"<rss><channel><item><title>&lol3;</title></item></channel></rss>", "unsafe_xml"),
        "xxe-file": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                     b"<rss><channel><item><title>&xxe;</title></item></channel></rss>", "unsafe_xml"),
        "xxe-http": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>'
                     b"<rss><channel><item><title>&xxe;</title></item></channel></rss>", "unsafe_xml"),
        "xxe-illformed": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                          b"<rss><channel><item><title>&xxe; & rusak</title></channel></rss>", "unsafe_xml"),
        "parameter-entity": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/d">%p;]>'
                             b"<rss><channel><item><title>x</title></item></channel></rss>", "unsafe_xml"),
    }
    cases += [Case(f"bad-{name}", body, "application/rss+xml", reason=reason) for name, (body, reason) in refused.items()]
    return cases


def corpus() -> list[Case]:
    cases = encoding_cases() + shape_cases() + illformed_cases()
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases
