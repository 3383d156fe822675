// The nearby list under the map: service points in the order given (the server sorts by distance).
const format = require('../../utils/format')

Component({
  properties: {
    items: { type: Array, value: [] },
    emptyText: { type: String, value: '附近暂无服务点' },
  },
  data: { rows: [] },
  observers: {
    items(items) {
      this.setData({
        rows: (items || []).map(item => ({
          id: item.id,
          name: item.name,
          category: item.category_name || '',
          address: item.address || '',
          phone: item.phone || '',
          distance: format.distance(item.distance_m),
          open: Boolean(item.open_now),
          bookable: Boolean(item.hall_id),
        })),
      })
    },
  },
  methods: {
    onTap(e) {
      this.triggerEvent('select', { id: Number(e.currentTarget.dataset.id) })
    },
    onCall(e) {
      this.triggerEvent('call', { phone: e.currentTarget.dataset.phone })
    },
  },
})
