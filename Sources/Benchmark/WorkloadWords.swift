/// Word lists the benchmark workload draws from: everyday search vocabulary, written for querykind.
enum WorkloadWords {
    static let nouns = [
        "flights", "hotel", "restaurant", "weather", "recipe", "laptop", "phone", "shoes", "insurance", "mortgage",
        "doctor", "dentist", "pharmacy", "museum", "concert", "tickets", "train", "bus", "car", "bike", "apartment",
        "salary", "job", "course", "university", "library", "garden", "printer", "router", "password", "battery",
        "camera", "guitar", "pizza", "coffee", "vaccine", "allergy", "passport", "visa", "tax", "invoice", "loan",
        "pension", "election", "festival", "marathon", "stadium", "beach", "mountain", "river", "bridge", "castle",
        "painting", "novel", "movie", "series", "album", "podcast", "recipe book", "headphones", "keyboard", "monitor",
    ]
    static let adjectives = [
        "cheap", "best", "new", "used", "local", "free", "fast", "quiet", "small", "large", "healthy", "easy", "old",
        "modern", "electric", "vegan", "organic", "wireless", "portable", "affordable", "luxury", "family", "public",
        "private", "online", "open", "nearby", "popular", "famous", "historic", "recent", "annual", "weekly",
    ]
    static let places = [
        "paris", "london", "berlin", "tokyo", "new york", "madrid", "rome", "lisbon", "toronto", "sydney", "chicago",
        "amsterdam", "vienna", "prague", "dublin", "oslo", "boston", "seattle", "denver", "austin", "munich", "milan",
    ]
    static let brands = ["apple", "samsung", "nike", "ikea", "toyota", "sony", "lego", "bosch", "canon", "dell"]
    static let determiners = ["the", "a", "my", "our", "this", "that", "every", "your"]
    static let verbs = [
        "open", "close", "cost", "work", "start", "arrive", "change", "break", "run", "stop", "grow", "sell", "ship",
        "charge", "rank", "compare", "deliver", "include", "require", "support",
    ]
    static let questionStarts = [
        "where does", "when does", "why does", "how does", "how much does", "what time does", "can", "does",
        "which", "how long does", "who says", "is it true that",
    ]
    static let connectives = ["and", "because", "although", "while", "so that", "unless", "but", "since"]
}
