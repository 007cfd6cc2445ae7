package classify

import (
	"slices"
	"strings"
	"unicode"
)

// This file holds the rules that tell words from meaning: text that states
// a maintenance state ("down for maintenance", "maintenance mode") counts;
// the noun used for something else ("could not load maintenance window",
// MaintenanceSchedulerException) and the stock description of 503 that
// servers and frameworks print for every 503 do not.

// textVerdict is what a piece of human text says about maintenance.
type textVerdict uint8

const (
	textSilent textVerdict = iota // says nothing about maintenance
	textState                     // states a maintenance or read-only state
	textStock                     // only the stock 503 description mentions maintenance
	textNoun                      // mentions maintenance as a noun or identifier, states nothing
)

// why explains a discounted mention in evidence.
func (t textVerdict) why() string {
	switch t {
	case textStock:
		return "stock 503 description, not evidence"
	case textNoun:
		return "mentions maintenance, states no maintenance"
	}
	return ""
}

// stockMarkers are the parts of the stock descriptions of 503 that name
// maintenance among its possible causes, lower-cased. A sentence holding
// one is a description of the status code, printed for every 503:
//
//   - Apache httpd, docs/error/HTTP_SERVICE_UNAVAILABLE.html.var (also
//     Magento's pub/errors/default/503.phtml, many PHP and IIS pages): "The
//     server is temporarily unable to service your request due to
//     maintenance downtime or capacity problems."
//   - RFC 7231 section 6.6.4, copied by Tomcat's and Jetty's status
//     descriptions and many API frameworks: "...due to a temporary overload
//     or scheduled maintenance, which will likely be alleviated after some
//     delay."
//   - RFC 2616 section 10.5.4: "...due to a temporary overloading or
//     maintenance of the server."
//   - .NET's HttpStatusCode.ServiceUnavailable documentation: "...usually
//     due to high load or maintenance."
//   - MDN's 503 page: "Common causes are a server that is down for
//     maintenance or that is overloaded."
var stockMarkers = []string{
	"maintenance downtime or capacity",
	"overload or scheduled maintenance",
	"overloading or maintenance",
	"overload or maintenance",
	"high load or maintenance",
	"heavy load or maintenance",
	"maintenance or that is overloaded",
	"maintenance or is overloaded",
	"maintenance or overloaded",
	"maintenance or overload",
	"maintenance or capacity",
	"capacity problems or maintenance",
}

// stateBefore are words that, right before "maintenance", make it a state:
// "under maintenance", "in maintenance", "scheduled maintenance",
// "performing maintenance", "during maintenance".
var stateBefore = map[string]bool{
	"under": true, "in": true, "during": true, "scheduled": true, "planned": true,
	"ongoing": true, "emergency": true, "undergoing": true, "performing": true,
	"unscheduled": true, "routine": true,
}

// forVerbs are the words that make "X for maintenance" a state: "down for
// maintenance", "closed for maintenance", "offline for maintenance".
var forVerbs = map[string]bool{
	"down": true, "closed": true, "offline": true, "unavailable": true, "disabled": true,
	"paused": true, "stopped": true, "locked": true, "suspended": true, "shut": true,
	"out": true, "taken": true, "off": true, "halted": true,
}

// onBe are the words before "on maintenance" that make it a state: a
// form of "be", or an adverb of time after one.
var onBe = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "be": true, "being": true,
	"we're": true, "it's": true, "currently": true, "now": true, "temporarily": true,
}

// nounAfter are words that, right after "maintenance", make it a noun
// phrase about something else: "maintenance window not found",
// "MaintenanceSchedulerException", "maintenance task failed".
var nounAfter = map[string]bool{
	"window": true, "windows": true, "schedule": true, "schedules": true, "scheduler": true,
	"scheduling": true, "task": true, "tasks": true, "job": true, "jobs": true,
	"record": true, "records": true, "plan": true, "plans": true, "id": true, "ids": true,
	"ticket": true, "tickets": true, "request": true, "requests": true, "item": true,
	"items": true, "event": true, "events": true, "notification": true, "notifications": true,
	"api": true, "endpoint": true, "policy": true, "policies": true, "type": true,
	"types": true, "config": true, "configuration": true, "settings": true, "setting": true,
	"report": true, "reports": true, "log": true, "logs": true, "contract": true,
	"contracts": true, "status": true, "page": true, "object": true, "entry": true,
	"entries": true, "history": true, "period": true, "periods": true, "fee": true,
	"cost": true, "costs": true, "team": true, "user": true, "script": true,
	"service": true, "manager": true, "module": true, "flag": true, "banner": true,
	"message": true, "notice": true, "info": true, "details": true, "list": true,
}

// codeSuffixes are the words an error code may add after "maintenance"
// and still name the state: MaintenanceError, MAINTENANCE_MODE,
// maintenance_in_progress, MaintenanceModeException.
var codeSuffixes = map[string]bool{
	"mode": true, "error": true, "exception": true, "err": true, "in": true,
	"progress": true, "active": true, "enabled": true, "on": true, "ongoing": true,
	"unavailable": true, "required": true,
}

// judgeText says what human text (a message, a title) states about
// maintenance. Stock 503 sentences are removed first; what is left counts
// only where "maintenance" is used as a state, or the text says the
// service is in read-only mode.
func judgeText(s string) textVerdict {
	lower := strings.ToLower(s)
	if !strings.Contains(lower, "maint") && !strings.Contains(lower, "read") {
		return textSilent
	}
	// One space between words, so that a stock sentence wrapped over
	// lines (Apache's page is) still reads as one; identifiers in prose
	// are names, not words.
	lower = strings.ToLower(strings.Join(neutralizeIdentifiers(strings.Fields(s)), " "))
	stock, noun := false, false
	for _, sentence := range splitSentences(lower) {
		if isStockSentence(sentence) {
			stock = true
			continue
		}
		words := wordsOf(sentence)
		maint, readOnly := statesMaintenance(words), statesReadOnly(words)
		if maint || readOnly {
			if !reportsFault(words, readOnly && !maint) {
				return textState
			}
			// "Failed to enable maintenance mode", "the database is in
			// read-only mode due to a full disk": an error report.
			noun = true
			continue
		}
		noun = noun || mentionsMaintenance(words)
	}
	switch {
	case stock:
		return textStock
	case noun:
		return textNoun
	}
	return textSilent
}

// faultWords are the words of an error report. A sentence that states a
// maintenance state and reports a fault as its subject ("An error
// occurred during maintenance", "Failed to enable maintenance mode") is
// an error report, not the state; a fault given as the maintenance's
// cause ("emergency maintenance due to a hardware failure") is the
// operator's explanation and leaves the state stated. A read-only mode
// with a fault anywhere, its cause included ("read-only mode because the
// disk is full"), is a fault: software turns read-only by itself when a
// disk fills or a primary fails. "Error" followed by a status code is the
// label of an error page ("Error 503 Gerrit is under maintenance",
// Jetty's title), not a fault.
var faultWords = map[string]bool{
	"error": true, "errors": true, "failed": true, "failure": true, "fault": true,
	"exception": true, "crashed": true, "corrupt": true, "corrupted": true,
}

// storageFaults are faults that put software in read-only mode by itself.
var storageFaults = map[string]bool{"disk": true, "space": true, "quota": true, "full": true}

// causeWords introduce the cause of a maintenance.
var causeWords = map[string]bool{"due": true, "because": true, "following": true, "after": true, "caused": true}

func reportsFault(words []string, readOnly bool) bool {
	for i, w := range words {
		if causeWords[w] && !readOnly {
			// The rest of the sentence is the maintenance's cause.
			return false
		}
		if readOnly && storageFaults[w] {
			return true
		}
		if !faultWords[w] {
			continue
		}
		if w == "error" && i+1 < len(words) && isDigits(words[i+1]) {
			continue
		}
		return true
	}
	return false
}

// stateSentence returns the sentence (or line) of s that states the
// maintenance state, for evidence; s itself when no single one does.
func stateSentence(s string) string {
	start := 0
	for i := 0; i <= len(s); i++ {
		end := i == len(s)
		if !end {
			switch c := s[i]; {
			case c == '.' || c == '!' || c == '?' || c == ';':
				end = i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == '\t'
				if end {
					i++ // keep the full stop
				}
			case c == '\n':
				end = true
			}
		}
		if !end {
			continue
		}
		piece := strings.Join(strings.Fields(s[start:min(i, len(s))]), " ")
		start = min(i+1, len(s))
		if piece != "" && judgeText(piece) == textState {
			return piece
		}
	}
	return strings.Join(strings.Fields(s), " ")
}

func isStockSentence(sentence string) bool {
	for _, m := range stockMarkers {
		if strings.Contains(sentence, m) {
			return true
		}
	}
	return false
}

// splitSentences cuts text at sentence ends and line breaks.
func splitSentences(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '.' || r == '!' || r == '?' || r == ';'
	})
}

// wordsOf splits text into lower-case words of letters and digits,
// splitting identifiers too: "PlannedMaintenanceError" and
// "planned_maintenance_error" both give planned, maintenance, error.
func wordsOf(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
		if len(words) > 400 {
			words = words[:400]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// A capital after a lower-case letter starts a new word.
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				flush()
			}
			cur = append(cur, r)
		case r == '\'' || r == '’':
			// "we're", "it's": keep the word whole.
			if len(cur) > 0 {
				cur = append(cur, '\'')
			}
		default:
			flush()
		}
		prev = r
	}
	flush()
	return words
}

func isMaintenanceWord(w string) bool {
	return w == "maintenance" || w == "maintainance" || w == "maintenence"
}

func mentionsMaintenance(words []string) bool {
	for _, w := range words {
		if isMaintenanceWord(w) {
			return true
		}
	}
	return false
}

// statesMaintenance reports whether some use of "maintenance" in words
// states a state: "down for maintenance", "under maintenance", "in
// maintenance", "maintenance mode", "scheduled maintenance", "maintenance
// in progress", but not when a noun follows ("maintenance window").
func statesMaintenance(words []string) bool {
	at := func(i int) string {
		if i < 0 || i >= len(words) {
			return ""
		}
		return words[i]
	}
	if len(words) == 1 && isMaintenanceWord(words[0]) {
		// The whole message is the word: {"message": "Maintenance"}.
		return true
	}
	for i, w := range words {
		if !isMaintenanceWord(w) {
			continue
		}
		next := at(i + 1)
		if nounAfter[next] {
			continue
		}
		prev := at(i - 1)
		if announces(prev, next, at(i+2)) {
			// "Scheduled maintenance will take place on Sunday",
			// "upcoming maintenance": a forecast, not a state.
			continue
		}
		if hedges(words, i) {
			// "The server may be down for maintenance or overloaded",
			// "due to maintenance or an outage": a guess among causes,
			// as generic error pages write it, not a statement.
			continue
		}
		if denies(words, i) {
			// "The site is not in maintenance mode", "Scheduled
			// maintenance has been completed": the state is over or
			// was never on.
			continue
		}
		switch {
		case next == "mode":
			return true
		case next == "in" && at(i+2) == "progress",
			next == "is" && at(i+2) == "in" && at(i+3) == "progress",
			next == "underway", next == "is" && at(i+2) == "underway",
			next == "ongoing", next == "is" && at(i+2) == "ongoing":
			return true
		case stateBefore[prev]:
			return true
		case prev == "for" && (forVerbs[at(i-2)] || forVerbs[at(i-3)]):
			return true
		case prev == "on" && onBe[at(i-2)]:
			// "we are on maintenance", "the site is currently on
			// maintenance" (likeastore/maintenance's default), but not
			// "details on maintenance".
			return true
		case prev == "to" && at(i-2) == "due":
			// "unavailable due to maintenance" (the stock descriptions
			// were removed before).
			return true
		}
	}
	return false
}

// modals are the words that make a sentence a guess.
var modals = map[string]bool{
	"may": true, "might": true, "could": true, "possibly": true, "perhaps": true,
	"probably": true, "maybe": true, "likely": true, "either": true,
}

// hedges reports whether the "maintenance" at i is one guess among
// causes: "maintenance or ..." / "... or maintenance", or a modal in the
// four words before it ("may be down for maintenance").
func hedges(words []string, i int) bool {
	if (i+1 < len(words) && words[i+1] == "or") || (i > 0 && words[i-1] == "or") {
		return true
	}
	for _, w := range words[max(0, i-4):i] {
		if modals[w] {
			return true
		}
	}
	return false
}

// negations deny the state when they govern it: right before the word
// that makes "maintenance" a state ("not in maintenance", "isn't under
// maintenance"), or before "down for", "currently in", "no longer in".
// A negation further away is about something else ("Not available:
// under maintenance"). endings, in the three words after "maintenance",
// say the state is over or off ("maintenance has been completed",
// "maintenance mode is disabled", "maintenance mode is not enabled").
var (
	negations = map[string]bool{
		"not": true, "never": true, "isn't": true, "aren't": true, "wasn't": true, "weren't": true,
	}
	negationBridges = map[string]bool{
		"currently": true, "yet": true, "now": true, "longer": true, "down": true, "closed": true, "offline": true,
	}
	endings = map[string]bool{
		"completed": true, "complete": true, "finished": true, "ended": true, "over": true,
		"done": true, "concluded": true, "disabled": true, "deactivated": true,
		"inactive": true, "lifted": true,
	}
)

// denies reports whether the words around the "maintenance" at i deny
// the state: a negation that governs it, or an ending after it.
func denies(words []string, i int) bool {
	at := func(j int) string {
		if j < 0 || j >= len(words) {
			return ""
		}
		return words[j]
	}
	switch {
	case negations[at(i-2)],
		negations[at(i-3)] && negationBridges[at(i-2)],
		at(i-3) == "no" && at(i-2) == "longer":
		return true
	}
	for j := i + 1; j < min(len(words), i+4); j++ {
		if endings[words[j]] || (words[j] == "not" && (at(j-1) == "is" || at(j-1) == "was")) {
			return true
		}
	}
	return false
}

// announces reports whether the words around "maintenance" announce a
// future window rather than state a present one.
func announces(prev, next, next2 string) bool {
	switch prev {
	case "upcoming", "next", "future", "tomorrow's", "tonight's":
		return true
	}
	switch next {
	case "will", "planned", "scheduled", "starts", "begins", "tomorrow", "tonight", "next", "on":
		return true
	case "is":
		return next2 == "planned" || next2 == "scheduled" || next2 == "coming" || next2 == "upcoming"
	}
	return false
}

// statesReadOnly reports "read-only mode", "read-only instance", "read-only
// site" and "write operations on a read-only instance": a deliberate
// switch of the service. A bare "is read-only" is not enough: GitHub
// answers 403 "Repository was archived so is read-only." for good, and a
// validation error may say "field is read-only". Neither is a read-only
// part of the service, or a read-only database: those are faults, or
// settings of the caller (see partSubjects).
func statesReadOnly(words []string) bool {
	for i := range words {
		var next string
		switch {
		case words[i] == "readonly":
			if i+1 < len(words) {
				next = words[i+1]
			}
		case words[i] == "read" && i+2 < len(words) && words[i+1] == "only":
			next = words[i+2]
		default:
			continue
		}
		switch next {
		case "mode", "instance", "site", "state":
			if !aboutPart(words[max(0, i-4):i]) {
				return true
			}
		}
	}
	return false
}

// partSubjects are the things a database or a program puts in read-only
// mode by itself, or that a caller's setting makes read-only: when one
// of them is the subject, "read-only mode" is a fault or a refusal of the
// request, not the service's maintenance switch.
//
//   - ClickHouse, src/Storages/StorageReplicatedMergeTree.cpp: "Table is
//     in readonly mode" (a replica lost its Keeper session), and
//     src/Access/SettingsConstraints.cpp: "Cannot execute query in readonly
//     mode" (the user's readonly setting, or a GET).
//   - SQLite, https://www.sqlite.org/rescode.html#readonly: "attempt to
//     write a readonly database" (the file is not writable); a "read-only
//     file system" (EROFS) never reaches this list: "file" is no state.
//   - PostgreSQL: "cannot execute INSERT in a read-only transaction".
var partSubjects = map[string]bool{
	"table": true, "tables": true, "index": true, "indices": true, "indexes": true,
	"query": true, "queries": true, "statement": true, "transaction": true,
	"session": true, "connection": true, "replica": true, "partition": true,
	"shard": true, "column": true, "field": true, "file": true, "volume": true,
	"filesystem": true, "disk": true, "user": true, "key": true, "cursor": true,
}

// aboutPart reports whether the words before a "read-only mode" name a
// part of the service or of the request as its subject.
func aboutPart(before []string) bool {
	for _, w := range before {
		if partSubjects[w] {
			return true
		}
	}
	return false
}

// statesStartup reports whether words say the service is starting:
// "starting up", "is starting", "still starting", "warming up",
// "booting", "initializing" (or "initialising").
func statesStartup(words []string) bool {
	for i, w := range words {
		switch w {
		case "booting", "initializing", "initialising":
			return true
		case "starting", "warming":
			if i+1 < len(words) && words[i+1] == "up" {
				return true
			}
			if w == "starting" && i > 0 && (words[i-1] == "is" || words[i-1] == "still") {
				return true
			}
		}
	}
	return false
}

// codeStates reports whether an identifier-like error code (no spaces,
// not a URI) names the maintenance state: PlannedMaintenanceError,
// MAINTENANCE_MODE, maintenance, UnderMaintenance, read_only_mode. A
// code that uses the noun for something else
// (MaintenanceSchedulerException, maintenance_window_not_found) does not.
func codeStates(s string) bool {
	if len(s) > 100 || strings.ContainsAny(s, " \t\n/") {
		return false
	}
	words := wordsOf(s)
	if statesReadOnly(words) {
		return true
	}
	for i, w := range words {
		if !isMaintenanceWord(w) {
			continue
		}
		ok := true
		for _, after := range words[i+1:] {
			if !codeSuffixes[after] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// codeThrottles reports whether an identifier-like error code says "slow
// down": AWS's ThrottlingException, ProvisionedThroughputExceededException
// and RequestLimitExceeded, S3's SlowDown, TooManyRequests,
// RATE_LIMIT_EXCEEDED, rateLimited.
func codeThrottles(s string) bool {
	if len(s) > 120 || strings.ContainsAny(s, " \t\n/") {
		return false
	}
	words := wordsOf(s)
	at := func(i int) string {
		if i < 0 || i >= len(words) {
			return ""
		}
		return words[i]
	}
	for i, w := range words {
		switch w {
		case "throttling", "throttled", "throttle", "ratelimited", "ratelimit", "toomanyrequests", "slowdown":
			return true
		case "rate":
			if n := at(i + 1); n == "limit" || n == "limited" || n == "exceeded" {
				return true
			}
		case "too":
			if at(i+1) == "many" && at(i+2) == "requests" {
				return true
			}
		case "slow":
			if at(i+1) == "down" {
				return true
			}
		case "request", "requests", "throughput", "quota":
			if n := at(i + 1); n == "limit" && at(i+2) == "exceeded" || n == "exceeded" {
				return true
			}
		}
	}
	return false
}

// neutralizeIdentifiers replaces each identifier among the words of
// prose by a word that states nothing: a token joined by '_', '.', '/',
// '\' or "::", one in camelCase, or one in quotes. A crash report that
// names a setting or a class ("Undefined array key \"maintenance_mode\"",
// "KeyError: 'maintenance_mode'", "undefined method `maintenance_mode?'",
// "at MaintenanceModeFilter.java:42") names it; it states no maintenance.
// A text that is one bare token is a code, and is kept: an API may
// answer {"message": "MAINTENANCE_MODE"}.
func neutralizeIdentifiers(fields []string) []string {
	if len(fields) == 1 && !isQuoted(fields[0]) {
		return fields
	}
	out := fields
	for i, f := range fields {
		if !isIdentifier(f) {
			continue
		}
		if &out[0] == &fields[0] {
			out = slices.Clone(fields)
		}
		out[i] = "identifier"
	}
	return out
}

const quoteChars = "\"'`‘’“”"

func isQuoted(token string) bool {
	t := strings.TrimRight(token, ".,;:!?)")
	return len(t) >= 2 && strings.ContainsAny(t[:1], quoteChars) && strings.ContainsAny(t[len(t)-1:], quoteChars+"?")
}

// isIdentifier reports whether a whitespace-separated token is a name
// from code rather than a word (see neutralizeIdentifiers).
func isIdentifier(token string) bool {
	if isQuoted(token) {
		return true
	}
	t := strings.Trim(token, ".,;:!?()[]{}<>"+quoteChars)
	if t == "" {
		return false
	}
	if strings.ContainsAny(t, "_/\\.") || strings.Contains(t, "::") {
		return true
	}
	var prev rune
	for _, r := range t {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			return true
		}
		prev = r
	}
	return false
}
