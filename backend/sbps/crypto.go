package sbps

import (
	"crypto/cipher"
	"crypto/des"
	"encoding/base64"
	"fmt"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

// Cipher is SBPS's field encryption (encrypted_flg=1): 3DES-CBC with a 24-byte key
// and an 8-byte IV issued by SBPS, the Shift_JIS plaintext right-padded with spaces to
// whole 8-byte blocks (no PKCS padding), then base64 (research §A2; S1 crypto.rb, S3).
type Cipher struct {
	block cipher.Block
	iv    []byte
}

// Lengths of the 3DES key and IV SBPS issues.
const (
	CipherKeyLen = 24
	CipherIVLen  = 8
)

// NewCipher checks the key (24 bytes) and IV (8 bytes) as SBPS issues them (ASCII).
func NewCipher(key, iv string) (*Cipher, error) {
	if len(key) != CipherKeyLen || len(iv) != CipherIVLen {
		return nil, backend.Errorf(backend.ECREDENTIAL, "3DES暗号化キーは24文字、初期化ベクトルは8文字です。SBPSから発行された値を入力してください",
			"the 3DES key must be 24 characters and the IV 8 characters, as issued by SBPS")
	}
	block, err := des.NewTripleDESCipher([]byte(key))
	if err != nil {
		return nil, backend.Errorf(backend.ECREDENTIAL, "3DES暗号化キーを使えません", "the 3DES key cannot be used")
	}
	return &Cipher{block: block, iv: []byte(iv)}, nil
}

// Encrypt encrypts a field value ("" stays "").
func (c *Cipher) Encrypt(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	raw, err := textenc.EncodeCP932(plain)
	if err != nil {
		return "", err
	}
	if n := len(raw) % des.BlockSize; n != 0 {
		raw = append(raw, []byte(strings.Repeat(" ", des.BlockSize-n))...)
	}
	out := make([]byte, len(raw))
	cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(out, raw)
	return base64.StdEncoding.EncodeToString(out), nil
}

// Decrypt reverses Encrypt: base64, 3DES-CBC, trailing spaces trimmed, Shift_JIS.
func (c *Cipher) Decrypt(enc string) (string, error) {
	if enc == "" {
		return "", nil
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", fmt.Errorf("encrypted field is not base64: %w", err)
	}
	if len(raw) == 0 || len(raw)%des.BlockSize != 0 {
		return "", fmt.Errorf("encrypted field is not whole 3DES blocks")
	}
	out := make([]byte, len(raw))
	cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(out, raw)
	return textenc.DecodeCP932([]byte(strings.TrimRight(string(out), " ")))
}

// EncryptedInquiryFields are the answer fields of the card inquiry (MG01-00101-101)
// that SBPS encrypts when the request says encrypted_flg=1 (S1 DECRYPT_PARAMETERS).
var EncryptedInquiryFields = []string{
	"res_pay_method_info/res_pay_method_info_detail/cc_number",
	"res_pay_method_info/res_pay_method_info_detail/cc_expiration",
	"res_pay_method_info/res_pay_method_info_detail/dealings_type",
	"res_pay_method_info/res_pay_method_info_detail/divide_times",
	"res_pay_method_info/cc_company_code",
	"res_pay_method_info/cardbrand_code",
	"res_pay_method_info/recognized_no",
	"res_pay_method_info/commit_status",
	"res_pay_method_info/payment_status",
}
