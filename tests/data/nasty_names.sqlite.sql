CREATE TABLE "we'ird */ ""name" (id INTEGER PRIMARY KEY, "x'); system('y" TEXT, "}" TEXT, "{" TEXT, "a\b" TEXT);
CREATE TABLE "Order Details" (id INTEGER PRIMARY KEY, "@enduml" TEXT, "class" TEXT, "we'ird */ ""name_id" INTEGER REFERENCES "we'ird */ ""name"(id));
CREATE TABLE "café" (id INTEGER PRIMARY KEY, "order details_id" INTEGER, "__x__" TEXT, "**b**" TEXT, "<b>t</b>" TEXT, "end" TEXT);
CREATE TABLE "class" (id INTEGER PRIMARY KEY, "café_id" INTEGER REFERENCES "café"(id), "'" TEXT, "/'" TEXT, "$x" TEXT, "%newline()" TEXT, "[[x]]" TEXT);
CREATE TABLE "x\y@enduml" (id INTEGER PRIMARY KEY, class_id INTEGER REFERENCES "class"(id));
