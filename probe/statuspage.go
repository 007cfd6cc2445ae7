package probe

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
)

// Status page kinds, for [Config.StatusPageKind] and [ParseStatusPage].
const (
	KindStatuspage = "statuspage" // Atlassian Statuspage v2: /api/v2/summary.json
	KindCachet     = "cachet"     // Cachet v3: /api/status, /api/schedules, /api/components
	KindInstatus   = "instatus"   // Instatus: /summary.json
)

// maxPerKind bounds how many pieces of evidence of one kind (incidents,
// maintenances, components...) one status page document yields; the rest
// are counted in a single note.
const maxPerKind = 10

// ErrUnrecognised is returned (wrapped) by [ParseStatusPage] when the
// document is not a status page of a known shape.
var ErrUnrecognised = errors.New("downfor: unrecognised status page")

const unrecognised = "unrecognised status page"

// ParseStatusPage reads one JSON document from a status page, as observed
// at now. kind is [KindStatuspage], [KindCachet], [KindInstatus], or ""
// to detect it from the document's shape. components, when not empty,
// narrows a shared page to the service's own components (see
// [Config.Components]); names and ids compare case-insensitively.
//
// Every document yields evidence from [classify.SourceStatusPage]:
//
//   - "indicator": the page-wide status. Statuspage's "maintenance",
//     Cachet's "under_maintenance" and Instatus' "UNDERMAINTENANCE" are
//     explicit maintenance; outages are implied malfunction; anything
//     else says nothing. Page-wide statuses count only when no
//     components were selected.
//   - "maintenance": a scheduled maintenance in progress (Statuspage
//     in_progress or verifying, Cachet in progress, Instatus INPROGRESS):
//     explicit maintenance, with Start, Until and its name as Message.
//   - "maintenance-window": a maintenance still marked scheduled whose
//     window has begun and not ended: implied maintenance (the page
//     announced it, but nobody confirmed it started).
//   - "incident": an unresolved incident: explicit malfunction, with the
//     incident's name as Message, even when the page says maintenance;
//     one with impact "none" has strength None: the page's operator says
//     it does not touch the service.
//   - "component": a component under maintenance (explicit maintenance)
//     or in partial or major outage (implied malfunction).
//   - "upcoming-maintenance": a maintenance scheduled to start after now:
//     strength None, with Start and Until, for callers that avoid starting
//     work just before a window.
//   - "component-filter": a selected component the page does not list
//     (strength None), and "more" when evidence of one kind was cut off.
//
// Completed maintenances, resolved incidents and degraded components add
// nothing; a page with nothing to say gives one piece of evidence of
// strength None, "nothing to report", so the record shows it was read.
//
// With no components selected, a page that shows a component in an
// outage no maintenance in progress names makes its maintenance evidence
// only implied: which component is the service is unknown, and the
// outage wins.
//
// The page-wide maintenance indicator and the components under
// maintenance carry the end (Until) of the maintenances in progress when
// every one of them announced an end, so that a maintenance left "in
// progress" long after its window reads as stale (see classify.Combine).
//
// The error is non-nil only when body is not a JSON object, the kind is
// unknown, or the shape cannot be recognised; it wraps [ErrUnrecognised].
func ParseStatusPage(kind string, body []byte, now time.Time, components []string) ([]classify.Evidence, error) {
	ev, why := parseStatusPage(kind, body, now, components)
	if why != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnrecognised, why)
	}
	return ev, nil
}

// parseStatusPage is [ParseStatusPage], with the reason the document is
// not a known status page in words ("" when it is one).
func parseStatusPage(kind string, body []byte, now time.Time, components []string) ([]classify.Evidence, string) {
	doc, ok := decodeJSON(body)
	m := asObject(doc)
	if !ok || m == nil {
		return nil, "not a JSON object"
	}
	kind = strings.ToLower(strings.TrimSpace(kind))
	if kind == "" {
		if kind = detectKind(m); kind == "" {
			return nil, "unknown shape"
		}
	}
	p := newPage(now, components)
	switch kind {
	case KindStatuspage:
		p.statuspage(m)
	case KindCachet:
		if !p.cachet(m) {
			return nil, "no Cachet data"
		}
	case KindInstatus:
		p.instatus(m)
	default:
		return nil, fmt.Sprintf("unknown kind %q (want statuspage, cachet or instatus)", clean(kind))
	}
	return p.evidence(), ""
}

// detectKind tells the three formats apart by their distinctive keys.
func detectKind(m map[string]any) string {
	switch {
	case field(m, "activeIncidents") != nil || field(m, "activeMaintenances") != nil:
		return KindInstatus
	case field(m, "scheduled_maintenances") != nil || field(m, "incidents") != nil ||
		field(asObject(field(m, "status")), "indicator") != nil || asArray(field(m, "components")) != nil:
		return KindStatuspage
	case field(m, "data") != nil:
		return KindCachet
	}
	if s := asString(field(asObject(field(m, "page")), "status")); s != "" && s == strings.ToUpper(s) {
		return KindInstatus
	}
	return ""
}

// component is one component as a page lists it.
type component struct {
	id, name, status, groupID string
	group                     bool
}

// ref names a component from an incident or maintenance.
type ref struct{ id, name string }

// page gathers the evidence of one document, by kind, in a fixed order.
type page struct {
	now      time.Time
	filter   []string        // lower-cased selection; empty: everything counts
	selected map[string]bool // ids of listed components that are selected
	matched  map[string]bool // filter entries that matched a listed component
	listed   bool            // the document listed components

	indicator, active, incidents, compMaint, compOutage, upcoming, notes bucket

	outages    []ref // components in an outage (for conflict)
	maintained []ref // components named by maintenances in progress
	wholePage  bool  // a maintenance in progress names no component
}

// bucket keeps the first maxPerKind pieces of evidence of one kind and
// counts the rest, so a hostile page cannot make a long list.
type bucket struct {
	ev   []classify.Evidence
	more int
}

func (b *bucket) add(e classify.Evidence) {
	if len(b.ev) < maxPerKind {
		b.ev = append(b.ev, e)
		return
	}
	b.more++
}

func newPage(now time.Time, components []string) *page {
	p := &page{now: now, selected: map[string]bool{}, matched: map[string]bool{}}
	for _, c := range components {
		if c = strings.ToLower(strings.TrimSpace(c)); c != "" && !slices.Contains(p.filter, c) {
			p.filter = append(p.filter, c)
		}
	}
	return p
}

func (p *page) evidence() []classify.Evidence {
	if len(p.filter) > 0 && p.listed {
		for _, f := range p.filter {
			if !p.matched[f] {
				p.notes.add(p.ev(classify.SignalComponentFilter, fmt.Sprintf("no component %q on the page", clean(f))))
			}
		}
	}
	p.endOfActive()
	p.conflict()
	var out []classify.Evidence
	for _, b := range []bucket{p.indicator, p.active, p.incidents, p.compMaint, p.compOutage, p.upcoming, p.notes} {
		out = append(out, b.ev...)
		if b.more > 0 {
			out = append(out, p.ev("more", fmt.Sprintf("%d more %s not shown", b.more, b.ev[0].Signal)))
		}
	}
	return out
}

// endOfActive gives the page-wide maintenance indicator and the
// components under maintenance the end of the maintenances in progress,
// when every one of them announced an end: the page set them for those
// maintenances, so they are as stale as they are once the windows ended
// (a maintenance left "in progress" leaves its components under
// maintenance too, and must not silence a later outage for ever).
func (p *page) endOfActive() {
	var end time.Time
	for _, e := range p.active.ev {
		if e.Until.IsZero() {
			return
		}
		if e.Until.After(end) {
			end = e.Until
		}
	}
	if end.IsZero() || p.active.more > 0 {
		return
	}
	for _, b := range []*bucket{&p.indicator, &p.compMaint} {
		for i := range b.ev {
			if e := &b.ev[i]; e.Indicates == classify.Maintenance && e.Until.IsZero() {
				e.Until = end
			}
		}
	}
}

// conflict makes the page's maintenance only implied when no components
// were selected and a component is in an outage that no maintenance in
// progress names (a maintenance naming no component covers the whole
// page): the page then says both "under maintenance" and "down", and
// which component is the service is unknown, so the outage (implied
// malfunction) must win over a maintenance elsewhere on the page.
// Selecting the service's components (Config.Components) resolves it.
func (p *page) conflict() {
	if !p.pageWide() || p.wholePage || len(p.outages) == 0 {
		return
	}
	covered := func(o ref) bool {
		for _, m := range p.maintained {
			if (m.id != "" && m.id == o.id) || (m.name != "" && strings.EqualFold(m.name, o.name)) {
				return true
			}
		}
		return false
	}
	if !slices.ContainsFunc(p.outages, func(o ref) bool { return !covered(o) }) {
		return // every component in an outage is one a maintenance names
	}
	for _, b := range []*bucket{&p.indicator, &p.active, &p.compMaint} {
		for i := range b.ev {
			if e := &b.ev[i]; e.Indicates == classify.Maintenance && e.Strength == classify.Explicit {
				e.Strength = classify.Implied
				e.Value = clean(e.Value + " (another component is in an outage; select components to tell)")
			}
		}
	}
}

func (p *page) ev(signal, value string) classify.Evidence {
	return classify.Evidence{Source: classify.SourceStatusPage, Signal: signal, Value: value}
}

// pageWide reports whether page-wide statuses count: only when no
// components were selected, since they sum up every component.
func (p *page) pageWide() bool { return len(p.filter) == 0 }

// setComponents records the listed components and which are selected: by
// name or id, and the members of a selected group.
func (p *page) setComponents(list []component) {
	if len(list) == 0 {
		return
	}
	p.listed = true
	for _, c := range list {
		for _, f := range p.filter {
			if f == strings.ToLower(c.name) || f == strings.ToLower(c.id) {
				p.selected[c.id] = true
				p.matched[f] = true
			}
		}
	}
	for _, c := range list {
		if c.groupID != "" && p.selected[c.groupID] {
			p.selected[c.id] = true
		}
	}
}

// counts reports whether an incident or maintenance naming refs concerns
// the selection: always when nothing is selected; when it names no
// component at all (a page-wide announcement); or when it names a
// selected component.
func (p *page) counts(refs []ref) bool {
	if len(p.filter) == 0 || len(refs) == 0 {
		return true
	}
	for _, r := range refs {
		if r.id != "" && p.selected[r.id] {
			return true
		}
		for _, f := range p.filter {
			if (r.name != "" && f == strings.ToLower(r.name)) || (r.id != "" && f == strings.ToLower(r.id)) {
				return true
			}
		}
	}
	return false
}

func (p *page) componentSelected(c component) bool {
	return len(p.filter) == 0 || p.selected[c.id]
}

// addIndicator records a page-wide status. state is the status after
// [norm].
func (p *page) addIndicator(value, state, description string) {
	e := p.ev("indicator", clean(value))
	e.Message = clean(description)
	var strength classify.Strength
	var class classify.Class
	switch {
	case strings.Contains(state, "maintenance"):
		strength, class = classify.Explicit, classify.Maintenance
	case strings.Contains(state, "outage") || state == "major" || state == "critical":
		strength, class = classify.Implied, classify.Malfunction
	}
	if strength != classify.None {
		if p.pageWide() {
			e.Strength, e.Indicates = strength, class
		} else {
			e.Value += " (page-wide; components selected)"
		}
	}
	p.indicator.add(e)
}

// addComponents records the selected components that are under
// maintenance or in an outage. Operational and degraded ones, and groups
// (whose members carry the status), add nothing.
func (p *page) addComponents(list []component) {
	for _, c := range list {
		if c.group || !p.componentSelected(c) {
			continue
		}
		state := norm(c.status)
		e := p.ev("component", clean(c.name+": "+c.status))
		switch {
		case strings.Contains(state, "maintenance"):
			e.Strength, e.Indicates = classify.Explicit, classify.Maintenance
			p.compMaint.add(e)
		case strings.Contains(state, "outage"):
			e.Strength, e.Indicates = classify.Implied, classify.Malfunction
			p.compOutage.add(e)
			p.outages = append(p.outages, ref{id: c.id, name: c.name})
		}
	}
}

// maintenance is a scheduled maintenance in a form common to all kinds.
type maintenance struct {
	name, status string // status as the page spells it
	state        string // "active", "scheduled" or "" (done, or unknown)
	start, until time.Time
	refs         []ref
}

func (p *page) addMaintenance(mt maintenance) {
	if !p.counts(mt.refs) {
		return
	}
	e := p.ev("maintenance", clean(mt.status))
	e.Message, e.Start, e.Until = clean(mt.name), mt.start, mt.until
	switch mt.state {
	case "active":
		e.Strength, e.Indicates = classify.Explicit, classify.Maintenance
		if len(mt.refs) == 0 {
			p.wholePage = true
		}
		p.maintained = append(p.maintained, mt.refs...)
		if len(p.filter) > 0 && len(mt.refs) == 0 {
			// Components are selected and this one names none: it may
			// concern the service, but it must not outrank the selected
			// component's own outage.
			e.Value += " (names no component)"
			e.Strength = classify.Implied
		}
		p.active.add(e)
	case "scheduled":
		switch {
		case mt.start.After(p.now):
			e.Signal, e.Indicates = classify.SignalUpcomingMaintenance, classify.Maintenance
			p.upcoming.add(e)
		case !mt.start.IsZero() && (mt.until.IsZero() || mt.until.After(p.now)):
			// The window has begun but nobody marked it in progress
			// (Statuspage's auto-transition may be off): the page
			// announced it, the service did not confirm it.
			e.Signal = "maintenance-window"
			e.Value += " (window open)"
			e.Strength, e.Indicates = classify.Implied, classify.Maintenance
			p.active.add(e)
		}
	}
}

func (p *page) addIncident(name, status, impact string, refs []ref) {
	if !p.counts(refs) {
		return
	}
	value := status
	if value == "" {
		value = "unresolved"
	}
	if impact != "" {
		value += " (" + impact + ")"
	}
	e := p.ev(classify.SignalIncident, clean(value))
	e.Message = clean(name)
	if norm(impact) == "none" {
		// Statuspage's impact "none": the page's operator says it does
		// not touch the service. Reported, and it outweighs nothing.
		e.Value = clean(value + ": does not touch the service")
	} else {
		e.Strength, e.Indicates = classify.Explicit, classify.Malfunction
	}
	p.incidents.add(e)
}

// refsOf reads the components an incident or maintenance names: objects
// with an id and a name, or bare strings.
func refsOf(m map[string]any) []ref {
	var out []ref
	for _, key := range []string{"components", "affected_components"} {
		for _, v := range asArray(field(m, key)) {
			switch x := v.(type) {
			case string:
				out = append(out, ref{id: x, name: x})
			case map[string]any:
				out = append(out, ref{id: asString(field(x, "id")), name: asString(field(x, "name"))})
			}
		}
	}
	return out
}

// componentsOf reads a Statuspage- or Instatus-style component list.
func componentsOf(v any) []component {
	var out []component
	for _, item := range asArray(v) {
		x := asObject(item)
		if x == nil {
			continue
		}
		group, _ := field(x, "group").(bool)
		out = append(out, component{
			id:      asString(field(x, "id")),
			name:    asString(field(x, "name")),
			status:  asString(field(x, "status")),
			groupID: asString(field(x, "group_id")),
			group:   group,
		})
	}
	return out
}

func timeField(m map[string]any, keys ...string) time.Time {
	t, _ := parseTime(first(m, keys...))
	return t
}

// statuspage reads Atlassian Statuspage v2: summary.json, and its parts
// status.json, components.json, incidents/unresolved.json and
// scheduled-maintenances/*.json, which share its shape.
func (p *page) statuspage(m map[string]any) {
	comps := componentsOf(field(m, "components"))
	p.setComponents(comps)
	if st := asObject(field(m, "status")); st != nil {
		ind := asString(field(st, "indicator"))
		p.addIndicator(ind, norm(ind), asString(field(st, "description")))
	}
	for _, v := range asArray(field(m, "scheduled_maintenances")) {
		if x := asObject(v); x != nil {
			p.addMaintenance(statuspageMaintenance(x))
		}
	}
	for _, v := range asArray(field(m, "incidents")) {
		x := asObject(v)
		if x == nil {
			continue
		}
		status := strings.ToLower(asString(field(x, "status")))
		impact := strings.ToLower(asString(field(x, "impact")))
		switch {
		case status == "scheduled" || status == "in_progress" || status == "verifying" || impact == "maintenance":
			// A maintenance listed among incidents (incidents.json lists both).
			p.addMaintenance(statuspageMaintenance(x))
		case status == "resolved" || status == "postmortem" || status == "completed":
		default:
			p.addIncident(asString(field(x, "name")), status, impact, refsOf(x))
		}
	}
	p.addComponents(comps)
}

func statuspageMaintenance(x map[string]any) maintenance {
	mt := maintenance{
		name:   asString(field(x, "name")),
		status: asString(field(x, "status")),
		start:  timeField(x, "scheduled_for"),
		until:  timeField(x, "scheduled_until"),
		refs:   refsOf(x),
	}
	switch strings.ToLower(mt.status) {
	case "in_progress", "verifying":
		mt.state = "active"
	case "scheduled":
		mt.state = "scheduled"
	}
	return mt
}

// instatus reads Instatus' public summary.json: page.status,
// activeIncidents and activeMaintenances (a start and a duration in
// minutes), and a components list when one is given.
func (p *page) instatus(m map[string]any) {
	comps := componentsOf(field(m, "components"))
	p.setComponents(comps)
	if pg := asObject(field(m, "page")); pg != nil {
		if st := asString(field(pg, "status")); st != "" {
			p.addIndicator(st, norm(st), "")
		}
	}
	for _, v := range asArray(field(m, "activeMaintenances")) {
		x := asObject(v)
		if x == nil {
			continue
		}
		mt := maintenance{
			name:   asString(field(x, "name")),
			status: asString(field(x, "status")),
			start:  timeField(x, "start", "started"),
			until:  timeField(x, "end", "until"),
			refs:   refsOf(x),
		}
		if mt.until.IsZero() && !mt.start.IsZero() {
			if d, ok := minutes(field(x, "duration")); ok {
				mt.until = mt.start.Add(d)
			}
		}
		switch norm(mt.status) {
		case "inprogress":
			mt.state = "active"
		case "notstartedyet":
			mt.state = "scheduled"
		}
		p.addMaintenance(mt)
	}
	for _, v := range asArray(field(m, "activeIncidents")) {
		x := asObject(v)
		if x == nil {
			continue
		}
		status := asString(field(x, "status"))
		if norm(status) != "resolved" {
			p.addIncident(asString(field(x, "name")), strings.ToLower(status), strings.ToLower(asString(field(x, "impact"))), refsOf(x))
		}
	}
	p.addComponents(comps)
}

// minutes reads a duration in minutes, as a number or a string of digits,
// between 1 minute and a year.
func minutes(v any) (time.Duration, bool) {
	n, err := strconv.ParseFloat(strings.TrimSpace(asString(v)), 64)
	if err != nil || !(n > 0 && n <= 366*24*60) {
		return 0, false
	}
	return time.Duration(n * float64(time.Minute)), true
}

// Cachet's numeric enums, by their JSON text.

func cachetComponentStatus(v string) (string, bool) {
	switch v {
	case "1":
		return "operational", true
	case "2":
		return "performance_issues", true
	case "3":
		return "partial_outage", true
	case "4":
		return "major_outage", true
	case "5":
		return "unknown", true
	case "6":
		return "under_maintenance", true
	}
	return "", false
}

// cachetScheduleStatus gives a schedule's status name and its state for
// [maintenance].
func cachetScheduleStatus(v string) (status, state string, ok bool) {
	switch v {
	case "0":
		return "upcoming", "scheduled", true
	case "1":
		return "in_progress", "active", true
	case "2":
		return "complete", "", true
	}
	return "", "", false
}

// cachetIncidentStatus reads IncidentStatusEnum: 1 investigating,
// 2 identified, 3 watching, 4 fixed. 0 is "unknown" in v3 and "scheduled"
// in v2, so it is not read as an incident.
func cachetIncidentStatus(v string) (string, bool) {
	switch v {
	case "1":
		return "investigating", true
	case "2":
		return "identified", true
	case "3":
		return "watching", true
	}
	return "", false
}

// cachetEnum reads a Cachet status: a number, a name, or an object
// {"human": "In Progress", "value": 1}. It returns the value's text.
func cachetEnum(v any) string {
	if x := asObject(v); x != nil {
		v = first(x, "value", "human")
	}
	return strings.TrimSpace(asString(v))
}

// cachet reads one Cachet v3 (or v2) API document: /api/status (either
// {"data":{"status","message"}} or its JSON:API form), a list of
// schedules, components or incidents, or one of them. It reports whether
// the document held any Cachet data.
func (p *page) cachet(m map[string]any) bool {
	names := map[string]string{} // component id -> name, from "included"
	for _, v := range asArray(field(m, "included")) {
		if x := asObject(v); x != nil && asString(field(x, "type")) == "components" {
			names[asString(field(x, "id"))] = asString(field(asObject(field(x, "attributes")), "name"))
		}
	}
	type item struct {
		id, typ string
		attrs   map[string]any
		refs    []ref
	}
	var items []item
	read := func(v any) {
		x := asObject(v)
		if x == nil {
			return
		}
		it := item{id: asString(field(x, "id")), typ: asString(field(x, "type")), attrs: x}
		if a := asObject(field(x, "attributes")); a != nil {
			it.attrs = a
		}
		rel := asObject(field(asObject(field(x, "relationships")), "components"))
		for _, r := range asArray(field(rel, "data")) {
			id := asString(field(asObject(r), "id"))
			it.refs = append(it.refs, ref{id: id, name: names[id]})
		}
		it.refs = append(it.refs, refsOf(it.attrs)...)
		items = append(items, it)
	}
	switch d := field(m, "data").(type) {
	case map[string]any:
		read(d)
	case []any:
		for _, v := range d {
			read(v)
		}
	default:
		return false
	}

	var comps []component
	for _, it := range items {
		a := it.attrs
		switch {
		case it.typ == "status":
			p.cachetStatus(a)
		case it.typ == "schedules" || field(a, "scheduled") != nil ||
			(it.typ == "" && field(a, "scheduled_at") != nil && hasKey(a, "completed_at")):
			p.addMaintenance(cachetSchedule(a, it.refs))
		case it.typ == "incidents" || (it.typ == "" && first(a, "occurred_at", "scheduled_at") != nil):
			// Cachet 2's incidents carry "scheduled_at" too (their
			// creation time) but never "completed_at", which its
			// schedules always have: an investigating incident must
			// not read as a schedule in progress.
			if s, ok := cachetIncidentStatus(cachetEnum(field(a, "status"))); ok {
				p.addIncident(asString(field(a, "name")), s, "", it.refs)
			}
		case it.typ == "components" || (it.typ == "" && field(a, "name") != nil && field(a, "status") != nil && field(a, "message") == nil):
			status := cachetEnum(field(a, "status"))
			if name, ok := cachetComponentStatus(status); ok {
				status = name
			}
			id := asString(field(a, "id"))
			if id == "" {
				id = it.id
			}
			comps = append(comps, component{id: id, name: asString(field(a, "name")), status: status})
		default: // /api/status: {"data": {"status": "operational", "message": "..."}}
			p.cachetStatus(a)
		}
	}
	p.setComponents(comps)
	p.addComponents(comps)
	return true
}

// hasKey reports whether m has key (compared case-insensitively), even
// with a null value.
func hasKey(m map[string]any, key string) bool {
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// cachetStatus reads the system status of /api/status.
func (p *page) cachetStatus(a map[string]any) {
	if st := cachetEnum(field(a, "status")); st != "" {
		p.addIndicator(st, norm(st), asString(first(a, "message", "label")))
	}
}

func cachetSchedule(a map[string]any, refs []ref) maintenance {
	status := cachetEnum(field(a, "status"))
	mt := maintenance{name: asString(field(a, "name")), refs: refs}
	if name, state, ok := cachetScheduleStatus(status); ok {
		mt.status, mt.state = name, state
	} else {
		mt.status = status
		switch norm(status) {
		case "inprogress":
			mt.state = "active"
		case "upcoming":
			mt.state = "scheduled"
		}
	}
	// v3: {"scheduled": {"string": "2026-11-23 08:00:00"}}; v2: "scheduled_at".
	mt.start, _ = parseTime(first(asObject(field(a, "scheduled")), "string", "datetime"))
	if mt.start.IsZero() {
		mt.start = timeField(a, "scheduled_at")
	}
	mt.until, _ = parseTime(first(asObject(field(a, "completed")), "string", "datetime"))
	if mt.until.IsZero() {
		mt.until = timeField(a, "completed_at")
	}
	return mt
}
