package testserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"
)

// maxControlBody bounds a control request's form body.
const maxControlBody = 64 << 10

// controlState is the JSON of GET and POST /_downfor/mode.
type controlState struct {
	Mode     string    `json:"mode"`
	Class    string    `json:"class"`
	Timeline string    `json:"timeline"`
	Since    time.Time `json:"since"`
}

// serveControl answers the control API. It runs before the mode, so it
// works in every mode, the network ones included.
//
//	GET    /_downfor/mode                  the current mode and timeline
//	POST   /_downfor/mode?name=NAME        switch mode (replaces any timeline)
//	POST   /_downfor/mode?timeline=SPEC    play a timeline from now
//	GET    /_downfor/modes                 every mode, as Modes
//	GET    /_downfor/requests              the request log, oldest first
//	DELETE /_downfor/requests              empty the request log (204)
//
// Every call needs "Authorization: Bearer TOKEN"; the parameters may also
// come as an application/x-www-form-urlencoded body.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if ok, given := s.authorized(r); !ok {
		challenge := `Bearer realm="downfor"`
		msg := "missing bearer token: send Authorization: Bearer TOKEN"
		if given {
			challenge += `, error="invalid_token"`
			msg = "wrong bearer token"
		}
		w.Header().Set("WWW-Authenticate", challenge)
		controlError(w, http.StatusUnauthorized, msg)
		return
	}
	switch strings.TrimPrefix(r.URL.Path, controlPrefix) {
	case "mode":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.writeState(w)
		case http.MethodPost, http.MethodPut:
			s.setFromForm(w, r)
		default:
			methodNotAllowed(w, "GET, HEAD, POST, PUT")
		}
	case "modes":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, "GET, HEAD")
			return
		}
		write(w, http.StatusOK, ctJSON, mustJSON(Modes()))
	case "requests":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			write(w, http.StatusOK, ctJSON, mustJSON(s.Requests()))
		case http.MethodDelete:
			s.ResetRequests()
			w.WriteHeader(http.StatusNoContent)
		default:
			methodNotAllowed(w, "GET, HEAD, DELETE")
		}
	default:
		controlError(w, http.StatusNotFound, "no such control endpoint; see /_downfor/mode, /_downfor/modes, /_downfor/requests")
	}
}

// authorized checks the bearer token in constant time (over SHA-256 sums,
// so the token's length does not leak either). given reports whether the
// request carried a bearer token at all.
func (s *Server) authorized(r *http.Request) (ok, given bool) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return false, false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return subtle.ConstantTimeCompare(sum[:], s.tokenSum[:]) == 1, true
}

func (s *Server) setFromForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxControlBody)
	if err := r.ParseForm(); err != nil {
		controlError(w, http.StatusBadRequest, "bad form: "+err.Error())
		return
	}
	name, timeline := r.Form.Get("name"), r.Form.Get("timeline")
	var err error
	switch {
	case name != "" && timeline != "":
		err = errors.New("give name or timeline, not both")
	case name != "":
		err = s.SetMode(name)
	case timeline != "":
		var steps Timeline
		if steps, err = ParseTimeline(timeline); err == nil {
			err = s.SetTimeline(steps)
		}
	default:
		err = errors.New("missing name=MODE or timeline=SPEC; valid modes: " + strings.Join(ModeNames(), ", "))
	}
	if te := (*TimelineError)(nil); errors.As(err, &te) {
		controlError(w, http.StatusBadRequest, te.Reason)
		return
	} else if err != nil {
		controlError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.writeState(w)
}

func (s *Server) writeState(w http.ResponseWriter) {
	steps, since := s.Timeline()
	st := s.state(time.Now())
	write(w, http.StatusOK, ctJSON, mustJSON(controlState{
		Mode: st.mode.Name, Class: st.mode.Class, Timeline: steps.String(), Since: since,
	}))
}

func controlError(w http.ResponseWriter, code int, msg string) {
	write(w, code, ctJSON, mustJSON(map[string]string{"error": msg}))
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	controlError(w, http.StatusMethodNotAllowed, "method not allowed; allowed: "+allow)
}
