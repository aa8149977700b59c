package sbps

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

// Node is one XML element of a request or an answer, in document order. A leaf has a
// Value; a group (pay_option_manage, res_pay_method_info…) has Children.
type Node struct {
	Name  string
	Value string // plain text: for a multibyte field, the text before base64
	// Multibyte marks SBPS's "M" fields (item_name, free1-3, names, addresses…): on
	// the wire they are base64 of their Shift_JIS bytes, in the hash they are plain.
	Multibyte bool
	Children  []Node
}

// Leaf is a plain element.
func Leaf(name, value string) Node { return Node{Name: name, Value: value} }

// Multibyte is an element of SBPS's multibyte type (sent as base64 of Shift_JIS).
func Multibyte(name, value string) Node { return Node{Name: name, Value: value, Multibyte: true} }

// Group is an element with children.
func Group(name string, children ...Node) Node { return Node{Name: name, Children: children} }

// MultibyteFields are the request elements SBPS sends base64-encoded (their Shift_JIS
// bytes), by element name (research §A2; S1 parameter definitions, S4/S5 lists).
var MultibyteFields = map[string]bool{
	"item_name": true, "free1": true, "free2": true, "free3": true, "dtl_item_name": true,
	"last_name": true, "first_name": true, "last_name_kana": true, "first_name_kana": true,
	"add1": true, "add2": true, "add3": true, "bill_info": true, "bill_info_kana": true, "bill_note": true,
	"resrv1": true, "resrv2": true, "resrv3": true,
}

// Document is one XML message: <sps-api-request id="…"> or <sps-api-response id="…">.
type Document struct {
	Root  string // "sps-api-request" or "sps-api-response"
	ID    string // the API id attribute ("" when absent, as on some NG answers)
	Nodes []Node
}

// Root element names.
const (
	RootRequest  = "sps-api-request"
	RootResponse = "sps-api-response"
)

// cleanValue is the value as it is hashed and sent: surrounding spaces trimmed (every
// public client trims before hashing, so the XML must carry the trimmed value too),
// and refused when it holds a character the API forbids (TAB, CR, LF and other
// control characters are format errors at SBPS) or one Shift_JIS cannot carry.
func cleanValue(name, v string) (string, error) {
	v = trimASCII(v)
	for _, r := range v {
		if unicode.IsControl(r) {
			return "", &backend.Error{Code: backend.EINVALID,
				Message:   fmt.Sprintf("「%s」に改行・タブなどの制御文字があります。SBPSには送れません", name),
				MessageEn: fmt.Sprintf("%s contains a control character (tab, line break), which SBPS refuses", name)}
		}
	}
	if err := textenc.CheckCP932(v); err != nil {
		return "", fieldError(name, err)
	}
	return v, nil
}

// asciiSpace is what the public clients trim (Ruby strip, Java trim): ASCII white
// space only. A full-width space (U+3000, e.g. an empty first_name "　") is a value
// and stays — verified against a recorded WEBコンビニ request.
const asciiSpace = " \t\n\v\f\r\x00"

func trimASCII(s string) string { return strings.Trim(s, asciiSpace) }

// Marshal writes the document as SBPS reads it: an XML 1.0 declaration naming
// Shift_JIS, then the elements without indentation, the whole in CP932 bytes.
// Multibyte fields are base64 of their CP932 bytes. A character CP932 cannot carry
// is an EINVALID error naming it (never replaced silently).
func Marshal(d Document) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="Shift_JIS"?>`)
	b.WriteString("<" + d.Root)
	if d.ID != "" {
		b.WriteString(` id="`)
		xml.EscapeText(stringWriter{&b}, []byte(d.ID))
		b.WriteString(`"`)
	}
	b.WriteString(">")
	if err := writeNodes(&b, d.Nodes); err != nil {
		return nil, err
	}
	b.WriteString("</" + d.Root + ">")
	return textenc.EncodeCP932(b.String())
}

type stringWriter struct{ b *strings.Builder }

func (w stringWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

func writeNodes(b *strings.Builder, nodes []Node) error {
	for _, n := range nodes {
		b.WriteString("<" + n.Name + ">")
		if len(n.Children) > 0 {
			if err := writeNodes(b, n.Children); err != nil {
				return err
			}
		} else {
			v, err := cleanValue(n.Name, n.Value)
			if err != nil {
				return err
			}
			if n.Multibyte && v != "" {
				raw, err := textenc.EncodeCP932(v)
				if err != nil {
					return fieldError(n.Name, err)
				}
				v = base64.StdEncoding.EncodeToString(raw)
			}
			xml.EscapeText(stringWriter{b}, []byte(v))
		}
		b.WriteString("</" + n.Name + ">")
	}
	return nil
}

// fieldError names the field in a text-encoding error.
func fieldError(name string, err error) error {
	var be *backend.Error
	if errors.As(err, &be) {
		c := *be
		c.Message = fmt.Sprintf("「%s」: %s", name, be.Message)
		c.MessageEn = fmt.Sprintf("%s: %s", name, be.MessageEn)
		return &c
	}
	return fmt.Errorf("%s: %w", name, err)
}

// HashSource is the text sps_hashcode is computed from: every element's value in
// document order (groups contribute their children; attributes and sps_hashcode itself
// do not), each trimmed, joined with no separator, then the hash key. Multibyte
// fields contribute their plain text, not their base64 (research §A3, recomputed
// against recorded sandbox requests).
func HashSource(nodes []Node, hashKey string) (string, error) {
	var b strings.Builder
	if err := hashValues(&b, nodes); err != nil {
		return "", err
	}
	b.WriteString(hashKey)
	return b.String(), nil
}

func hashValues(b *strings.Builder, nodes []Node) error {
	for _, n := range nodes {
		if n.Name == "sps_hashcode" {
			continue
		}
		if len(n.Children) > 0 {
			if err := hashValues(b, n.Children); err != nil {
				return err
			}
			continue
		}
		v, err := cleanValue(n.Name, n.Value)
		if err != nil {
			return err
		}
		b.WriteString(v)
	}
	return nil
}

// Hashcode is sps_hashcode: SHA-1 of HashSource in Shift_JIS (CP932) bytes, as 40
// lowercase hex digits. The bytes hashed are the bytes sent.
func Hashcode(nodes []Node, hashKey string) (string, error) {
	src, err := HashSource(nodes, hashKey)
	if err != nil {
		return "", err
	}
	raw, err := textenc.EncodeCP932(src)
	if err != nil {
		return "", err
	}
	sum := sha1.Sum(raw)
	return hex.EncodeToString(sum[:]), nil
}

// maxDepth bounds the nesting the parser accepts (SBPS documents are 3 levels deep).
const maxDepth = 16

// Unmarshal reads an SBPS XML document. The bytes must be valid Shift_JIS (CP932)
// whatever the declaration says — a garbled answer must be recognised as garbled —
// and the document must be one root element holding elements and text only. Text is
// trimmed; multibyte fields are left as sent (base64): see DecodeMultibyte.
func Unmarshal(body []byte) (*Document, error) {
	text, err := textenc.DecodeCP932(body)
	if err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(strings.NewReader(text))
	dec.Strict = true
	dec.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "shift_jis", "shift-jis", "sjis", "windows-31j", "cp932", "ms932", "x-sjis", "utf-8":
			return in, nil // already decoded above
		}
		return nil, fmt.Errorf("unexpected charset %q", charset)
	}
	var doc *Document
	type frame struct {
		node *Node
		text bytes.Buffer
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != "" {
				return nil, fmt.Errorf("unexpected namespace on <%s>", t.Name.Local)
			}
			if doc == nil {
				doc = &Document{Root: t.Name.Local}
				for _, a := range t.Attr {
					if a.Name.Local == "id" {
						doc.ID = a.Value
					}
				}
				stack = append(stack, &frame{})
				continue
			}
			if len(stack) == 0 {
				return nil, fmt.Errorf("more than one root element")
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("elements nested too deep")
			}
			stack = append(stack, &frame{node: &Node{Name: t.Name.Local}})
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fmt.Errorf("unbalanced </%s>", t.Name.Local)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.node == nil { // the root closed
				continue
			}
			n := *top.node
			if len(n.Children) == 0 {
				n.Value = trimASCII(top.text.String())
			} else if strings.TrimSpace(top.text.String()) != "" {
				return nil, fmt.Errorf("<%s> mixes text and elements", n.Name)
			}
			parent := stack[len(stack)-1]
			if parent.node == nil {
				doc.Nodes = append(doc.Nodes, n)
			} else {
				parent.node.Children = append(parent.node.Children, n)
			}
		case xml.CharData:
			if len(stack) == 0 {
				if strings.TrimSpace(string(t)) != "" {
					return nil, fmt.Errorf("text outside the root element")
				}
				continue
			}
			stack[len(stack)-1].text.Write(t)
		case xml.ProcInst, xml.Comment:
		case xml.Directive:
			return nil, fmt.Errorf("unexpected XML directive")
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("empty document")
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("the document ends inside an element")
	}
	return doc, nil
}

// DecodeMultibyte reads a multibyte field as sent: base64 of Shift_JIS bytes.
func DecodeMultibyte(v string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return "", fmt.Errorf("not base64: %w", err)
	}
	return textenc.DecodeCP932(raw)
}

// Response is a parsed answer: its API id and its leaf values by path
// ("res_result", "res_pay_method_info/payment_status").
type Response struct {
	ID     string
	Fields map[string]string
}

// Get returns the value at a path ("" when absent).
func (r *Response) Get(path string) string { return r.Fields[path] }

// Has reports whether the answer carries the path (possibly empty).
func (r *Response) Has(path string) bool { _, ok := r.Fields[path]; return ok }

// Result values.
const (
	ResultOK = "OK"
	ResultNG = "NG"
)

// OK reports whether res_result is OK.
func (r *Response) OK() bool { return r.Fields["res_result"] == ResultOK }

// ErrCode is res_err_code (8 characters on an NG answer).
func (r *Response) ErrCode() string { return r.Fields["res_err_code"] }

// ParseResponse reads an answer: a well-formed <sps-api-response> in Shift_JIS whose
// res_result is OK or NG, with no element repeated at the same path.
func ParseResponse(body []byte) (*Response, error) {
	doc, err := Unmarshal(body)
	if err != nil {
		return nil, err
	}
	if doc.Root != RootResponse {
		return nil, fmt.Errorf("the root element is <%s>, not <%s>", clip(doc.Root), RootResponse)
	}
	r := &Response{ID: doc.ID, Fields: map[string]string{}}
	if err := flatten(r.Fields, "", doc.Nodes); err != nil {
		return nil, err
	}
	switch r.Fields["res_result"] {
	case ResultOK, ResultNG:
	default:
		if _, ok := r.Fields["res_result"]; !ok {
			return nil, fmt.Errorf("the answer has no res_result")
		}
		return nil, fmt.Errorf("unexpected res_result %q", clip(r.Fields["res_result"]))
	}
	return r, nil
}

func flatten(out map[string]string, prefix string, nodes []Node) error {
	for _, n := range nodes {
		path := prefix + n.Name
		if len(n.Children) > 0 {
			if err := flatten(out, path+"/", n.Children); err != nil {
				return err
			}
			continue
		}
		if _, dup := out[path]; dup {
			return fmt.Errorf("element %s appears twice", clip(path))
		}
		out[path] = n.Value
	}
	return nil
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
