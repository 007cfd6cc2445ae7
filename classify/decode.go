package classify

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// bodyKind is what a peeked body turned out to be.
type bodyKind uint8

const (
	kindText bodyKind = iota
	kindJSON
	kindXML
	kindHTML
)

// decoded is a peeked body made readable: a Content-Encoding the
// transport left undone is undone (within the peek limit), a UTF-8 byte
// order mark is dropped, and the kind is taken from the Content-Type or,
// when that is vague or wrong (JSON served as text/html or text/plain),
// sniffed from the first bytes. It is a copy: the caller's body is never
// touched.
type decoded struct {
	text      []byte
	truncated bool
	kind      bodyKind
	note      string // why the body could not be read, for evidence
}

var utf8BOM = []byte("\xEF\xBB\xBF")

// decodeBody prepares o.Body for reading. limit bounds the decompressed
// size: a compressed body never expands past it (a zip bomb is cut short
// and marked truncated).
func decodeBody(o Observation, limit int) decoded {
	d := decoded{text: o.Body, truncated: o.Truncated}
	if limit <= 0 {
		limit = defaultPeekLimit
	}
	switch enc := strings.ToLower(strings.TrimSpace(headerGet(o.Header, "Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip", "deflate":
		text, truncated := inflate(enc, o.Body, limit)
		if text == nil {
			// A server that labels a plain body: read it as it is.
			d.note = "content-encoding " + enc + " could not be decoded; read as is"
			break
		}
		d.text, d.truncated = text, truncated
	default:
		d.text = nil
		d.note = "content-encoding " + abridgeTo(enc, 40) + " not decoded"
		return d
	}
	d.text = bytes.TrimPrefix(d.text, utf8BOM)
	d.kind = sniffKind(headerGet(o.Header, "Content-Type"), d.text)
	return d
}

// inflate decompresses at most limit bytes of a gzip or deflate body. A
// body cut short (by the peek, or broken) yields what came before the cut,
// marked truncated; nil when nothing could be decoded.
func inflate(enc string, body []byte, limit int) ([]byte, bool) {
	var r io.Reader
	switch enc {
	case "deflate":
		// RFC 9110 says zlib; some servers send raw deflate.
		if zr, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(body))
		}
	default:
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, false
		}
		zr.Multistream(false)
		r = zr
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if len(out) > limit {
		return out[:limit], true
	}
	if err != nil && !errors.Is(err, io.EOF) {
		if len(out) == 0 {
			return nil, false
		}
		return out, true
	}
	return out, false
}

// sniffKind names what body is, from its Content-Type and first bytes.
// A declared JSON or XML type is believed; HTML, text/plain, an octet
// stream or no type at all are checked against the body, since JSON APIs
// behind frameworks and proxies are often mislabelled.
func sniffKind(ct string, body []byte) bodyKind {
	switch {
	case isJSONType(ct):
		return kindJSON
	case isXMLType(ct):
		return kindXML
	}
	mt := strings.ToLower(mediaType(ct))
	if strings.Contains(mt, "json") {
		// application/x-amz-json-1.0 and other JSON dialects.
		return kindJSON
	}
	vague := mt == "" || mt == "text/plain" || mt == "text/html" || mt == "application/octet-stream" || mt == "application/xhtml+xml"
	if vague {
		trimmed := bytes.TrimLeft(body, " \t\r\n")
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			return kindJSON
		}
		if hasPrefixFold(trimmed, "<?xml") && !bytes.Contains(firstBytes(trimmed, 512), []byte("<html")) {
			return kindXML
		}
		if hasPrefixFold(trimmed, "<!doctype html") || hasPrefixFold(trimmed, "<html") {
			return kindHTML
		}
	}
	if isHTMLType(ct) {
		return kindHTML
	}
	return kindText
}

func isXMLType(ct string) bool {
	mt := mediaType(ct)
	return strings.EqualFold(mt, "application/xml") || strings.EqualFold(mt, "text/xml") ||
		(len(mt) > len("+xml") && strings.EqualFold(mt[len(mt)-len("+xml"):], "+xml") && !strings.EqualFold(mt, "application/xhtml+xml"))
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func firstBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// xmlMessages reads the human text of an XML error body: the text of its
// message, exception, code, error, reason and description elements,
// whatever their namespace (WebDAV's <d:error> with Sabre's <s:exception>
// and <s:message>, as Nextcloud and ownCloud send; S3-style
// <Error><Code>...<Message>...). At most a few elements are read.
func xmlMessages(body []byte) (messages, codes []string) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	var stack []string
	var text strings.Builder
	for n := 0; n < 2000 && len(messages)+len(codes) < 16; n++ {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, strings.ToLower(t.Name.Local))
			text.Reset()
		case xml.CharData:
			if text.Len() < 4*maxEvidenceValue {
				text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			s := strings.TrimSpace(text.String())
			text.Reset()
			if s == "" {
				continue
			}
			switch name {
			case "message", "reason", "description", "detail", "title":
				messages = append(messages, s)
			case "exception", "code", "error", "errorcode", "type":
				codes = append(codes, s)
			}
		}
	}
	return messages, codes
}
