print("querykind")
