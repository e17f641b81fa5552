package render

import (
	"math"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/handbook-dev/handbook/internal/site"
)

// A plan is how the walker hashes a value of one type found at an
// address: what walker.value does through reflect, worked out once per
// type instead of at every value. Fingerprints walk every field of every
// page on each call; through reflect, each field cost a reflect.Value, a
// kind switch and a look-up of the type's fields.
//
// A plan gives the same words as walker.reflectValue for the same value,
// so fingerprints do not depend on which of the two hashed a value.
type plan struct {
	t  reflect.Type
	op planOp
	// holds is mayHoldPages(t): in modeRefs, a value that cannot name a
	// page is skipped.
	holds bool
	// elem is the plan of a pointer's, slice's or array's elements, size
	// their size, n an array's length.
	elem *plan
	size uintptr
	n    int
	// fields are a struct's exported fields but those left out; page is
	// set for site.Page, whose fields a reading may leave out. byIndex
	// has the same fields by field index, nil for the others.
	fields  []fieldPlan
	byIndex []*fieldPlan
	page    bool
}

type fieldPlan struct {
	index int
	off   uintptr
	plan  *plan
}

type planOp uint8

const (
	opNone planOp = iota // functions, channels: left out
	opString
	opBool
	opInt
	opInt8
	opInt16
	opInt32
	opInt64
	opUint
	opUint8
	opUint16
	opUint32
	opUint64
	opUintptr
	opFloat32
	opFloat64
	opPage
	opSiteInfo
	opTime
	opPointer
	opStruct
	opBytes
	opSlice
	// opPages: a slice of pages, hashed in the data as one sum
	// (walker.pages).
	opPages
	opArray
	// opReflect: interfaces and maps, hashed through reflect.
	opReflect
)

// plans caches planOf, by type.
var (
	plans    sync.Map // reflect.Type → *plan
	plansMu  sync.Mutex
	kindOps  = map[reflect.Kind]planOp{reflect.String: opString, reflect.Bool: opBool, reflect.Int: opInt, reflect.Int8: opInt8, reflect.Int16: opInt16, reflect.Int32: opInt32, reflect.Int64: opInt64, reflect.Uint: opUint, reflect.Uint8: opUint8, reflect.Uint16: opUint16, reflect.Uint32: opUint32, reflect.Uint64: opUint64, reflect.Uintptr: opUintptr, reflect.Float32: opFloat32, reflect.Float64: opFloat64, reflect.Interface: opReflect, reflect.Map: opReflect}
	pagePlan = func() *plan { return planOf(pageStruct) }
)

// planOf returns the plan of t, made on the first call.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	made := map[reflect.Type]*plan{}
	p := makePlan(t, made)
	for t, p := range made {
		plans.Store(t, p)
	}
	return p
}

// makePlan makes the plan of t and of the types it holds, adding each to
// made before its parts, so that a type holding itself ends.
func makePlan(t reflect.Type, made map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p := made[t]; p != nil {
		return p
	}
	p := &plan{t: t, holds: mayHoldPages(t)}
	made[t] = p
	switch t {
	case pageType:
		p.op = opPage
		return p
	case docType:
		p.op = opNone
		return p
	case siteInfoType:
		p.op = opSiteInfo
		return p
	case timeType:
		p.op = opTime
		return p
	}
	switch k := t.Kind(); k {
	case reflect.Pointer:
		p.op, p.elem = opPointer, makePlan(t.Elem(), made)
	case reflect.Struct:
		p.op, p.page = opStruct, t == pageStruct
		p.byIndex = make([]*fieldPlan, t.NumField())
		for _, i := range exportedFields(t) {
			f := t.Field(i)
			p.fields = append(p.fields, fieldPlan{index: i, off: f.Offset, plan: makePlan(f.Type, made)})
		}
		for i := range p.fields {
			p.byIndex[p.fields[i].index] = &p.fields[i]
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			p.op = opBytes
			break
		}
		p.op, p.elem, p.size = opSlice, makePlan(t.Elem(), made), t.Elem().Size()
		if t.Elem() == pageType {
			p.op = opPages
		}
	case reflect.Array:
		p.op, p.elem, p.size, p.n = opArray, makePlan(t.Elem(), made), t.Elem().Size(), t.Len()
	default:
		p.op = kindOps[k] // opNone for the kinds left out
	}
	return p
}

// forgetPlans drops the plans and the fields they were made of, for tests
// that change leaveOut.
func forgetPlans() {
	plansMu.Lock()
	defer plansMu.Unlock()
	plans.Clear()
	fields.Clear()
}

// at hashes the value of pl's type at ptr, as reflectValue would.
func (w walker) at(pl *plan, ptr unsafe.Pointer, mode walkMode) {
	if mode == modeRefs && !pl.holds {
		return
	}
	h := w.h
	switch pl.op {
	case opString:
		h.str(*(*string)(ptr))
	case opBool:
		h.bool(*(*bool)(ptr))
	case opInt:
		h.word(uint64(*(*int)(ptr)))
	case opInt8:
		h.word(uint64(*(*int8)(ptr)))
	case opInt16:
		h.word(uint64(*(*int16)(ptr)))
	case opInt32:
		h.word(uint64(*(*int32)(ptr)))
	case opInt64:
		h.word(uint64(*(*int64)(ptr)))
	case opUint:
		h.word(uint64(*(*uint)(ptr)))
	case opUint8:
		h.word(uint64(*(*uint8)(ptr)))
	case opUint16:
		h.word(uint64(*(*uint16)(ptr)))
	case opUint32:
		h.word(uint64(*(*uint32)(ptr)))
	case opUint64:
		h.word(*(*uint64)(ptr))
	case opUintptr:
		h.word(uint64(*(*uintptr)(ptr)))
	case opFloat32:
		h.word(math.Float64bits(float64(*(*float32)(ptr))))
	case opFloat64:
		h.word(math.Float64bits(*(*float64)(ptr)))
	case opPage:
		w.page(*(**site.Page)(ptr), mode)
	case opSiteInfo:
		if info := *(**SiteInfo)(ptr); info != nil {
			h.word(w.f.siteInfoSum(info))
		} else {
			h.word(0)
		}
	case opTime:
		tm := (*time.Time)(ptr)
		h.word(uint64(tm.UnixNano()))
		h.str(tm.Location().String())
	case opPointer:
		q := *(*unsafe.Pointer)(ptr)
		if q == nil {
			h.word(0)
			return
		}
		h.word(1)
		w.at(pl.elem, q, mode)
	case opStruct:
		for i := range pl.fields {
			f := &pl.fields[i]
			if pl.page && w.rd.skip[f.index] {
				continue
			}
			w.at(f.plan, unsafe.Add(ptr, f.off), mode)
		}
	case opBytes:
		h.bytes(*(*[]byte)(ptr))
	case opSlice:
		data, n := *(*unsafe.Pointer)(ptr), *(*int)(unsafe.Add(ptr, unsafe.Sizeof(uintptr(0))))
		h.word(uint64(n))
		for i := 0; i < n; i++ {
			w.at(pl.elem, unsafe.Add(data, uintptr(i)*pl.size), mode)
		}
	case opPages:
		ps := *(*[]*site.Page)(ptr)
		h.word(uint64(len(ps)))
		if mode == modeData {
			h.word(w.pages(ps))
			return
		}
		for _, p := range ps {
			w.page(p, mode)
		}
	case opArray:
		h.word(uint64(pl.n))
		for i := 0; i < pl.n; i++ {
			w.at(pl.elem, unsafe.Add(ptr, uintptr(i)*pl.size), mode)
		}
	case opReflect:
		w.reflectValue(reflect.NewAt(pl.t, ptr).Elem(), mode)
	}
}

// pageField hashes field i of p (an index of site.Page's fields); a field
// left out (leaveOut) is not hashed.
func (w walker) pageField(p *site.Page, i int, mode walkMode) {
	if reflectOnly {
		if !leaveOut[pageStruct.Field(i).Name] {
			w.reflectValue(reflect.ValueOf(p).Elem().Field(i), mode)
		}
		return
	}
	if f := pagePlan().byIndex[i]; f != nil {
		w.at(f.plan, unsafe.Add(unsafe.Pointer(p), f.off), mode)
	}
}
