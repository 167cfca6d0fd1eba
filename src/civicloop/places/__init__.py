"""places — who is where: the territorial tree and the economic tree.

Territorial: district 区 → street/town 街道/镇 → community 居委/村委 → compound 小区 → building 楼栋/楼组,
and households 户 hanging from a building. Economic: functional zone 功能区 → park building 园区楼宇 →
enterprise 法人单位 (which also sits in a street).
"""
