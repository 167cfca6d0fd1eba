"""placeholder"""
def generate_volunteers(ctx): pass
def delete_volunteers(district): pass
