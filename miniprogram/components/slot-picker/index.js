// Working days along the top, the chosen day's slots below with the seats left.
// Days and slots come from GET /api/v1/halls/{id}/availability; what is bookable is the server's word.
const time = require('../../utils/time')
const format = require('../../utils/format')

function dayRows(days) {
  return (days || []).map(day => {
    const label = time.dayLabel(day.date)
    const open = day.working_day && day.slots.some(s => s.bookable)
    return { date: day.date, label: label.label, weekday: label.weekday, working: day.working_day, open,
      unconfirmed: day.calendar_confirmed === false }
  })
}

function slotRows(day, zone, selectedId) {
  if (!day) return []
  return day.slots.map(slot => ({
    id: slot.id,
    range: time.timeRange(slot.start, slot.end, zone),
    bookable: slot.bookable,
    remaining: slot.remaining,
    note: slot.bookable ? `余${slot.remaining}` : format.slotReason(slot.reason),
    selected: slot.id === selectedId,
  }))
}

Component({
  properties: {
    days: { type: Array, value: [] },
    zone: { type: String, value: 'Asia/Shanghai' },
    selectedId: { type: Number, value: 0 },
  },
  data: { dayRows: [], slots: [], current: 0, unconfirmed: false },
  observers: {
    'days, zone, selectedId'(days) {
      const rows = dayRows(days)
      // Open on the first day a slot can still be booked; keep the resident's day when data refreshes.
      const keep = this.data.dayRows.length && rows[this.data.current] && rows[this.data.current].date === this.data.dayRows[this.data.current].date
      const first = rows.findIndex(r => r.open)
      const current = keep ? this.data.current : Math.max(first, 0)
      this.setData({ dayRows: rows, current })
      this.showDay(current)
    },
  },
  methods: {
    showDay(index) {
      const day = (this.properties.days || [])[index]
      this.setData({
        current: index,
        slots: slotRows(day, this.properties.zone, this.properties.selectedId),
        unconfirmed: Boolean(day && day.calendar_confirmed === false),
      })
    },
    onDayTap(e) {
      const index = Number(e.currentTarget.dataset.index)
      if (!this.data.dayRows[index].working) return
      this.showDay(index)
    },
    onSlotTap(e) {
      const id = Number(e.currentTarget.dataset.id)
      const day = this.properties.days[this.data.current]
      const slot = day.slots.find(s => s.id === id)
      if (!slot || !slot.bookable) return
      this.triggerEvent('select', {
        slot: { id: slot.id, date: day.date, start: slot.start, end: slot.end, remaining: slot.remaining,
          label: `${time.dayLabel(day.date).label} ${time.dayLabel(day.date).weekday} ${time.timeRange(slot.start, slot.end, this.properties.zone)}` },
      })
    },
  },
})
