"""Names a relation stem must never take, in every target (data only).

Compared case-insensitively against the stem in camelCase and snake_case.
PHP reserved words (https://www.php.net/manual/en/reserved.keywords.php) and the
public and protected members of Eloquent's Model that a relation method would
shadow.  Since PHP 7.0 keywords are legal method names, so the keyword list only
keeps generated code unsurprising; ``parent`` is left out because it is the
idiomatic self-reference name (``$category->parent``) and is legal.

Python keywords and SQLAlchemy's declarative attributes are *not* here: the
SQLAlchemy backend formats stems its own way and resolves those itself
(DESIGN.md: each backend resolves collisions with its own reserved words);
:data:`PYTHON_RESERVED` is kept for it.
"""

PHP_RESERVED = frozenset("""
abstract and array as break callable case catch class clone const continue declare default
die do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile enum eval
exit extends final finally fn for foreach function global goto if implements include
include_once instanceof insteadof interface isset list match namespace new or print private
protected public readonly require require_once return static switch throw trait try unset use
var while xor yield int float bool string true false null void iterable object mixed never
self
""".split())

ELOQUENT_MEMBERS = frozenset("""
query newQuery newModelQuery newEloquentBuilder newCollection newInstance newFromBuilder
save saveOrFail saveQuietly delete deleteQuietly forceDelete destroy update updateQuietly
updateOrFail push pushQuietly touch touchOwners fill forceFill fresh refresh replicate is isNot
getKey getKeyName getKeyType getTable setTable getConnection setConnection getConnectionName
getAttribute setAttribute getAttributes setRawAttributes getOriginal getDirty isDirty isClean
wasChanged getChanges attributes original changes casts dates hidden visible fillable guarded
appends with without load loadMissing loadCount relations relationLoaded getRelation
setRelation unsetRelation getRelations setRelations table connection primaryKey keyType
incrementing timestamps exists wasRecentlyCreated toArray toJson jsonSerialize
observe boot booted make create firstOrCreate all find increment decrement
belongsTo hasMany hasOne belongsToMany morphTo morphMany morphOne morphToMany morphedByMany
hasManyThrough hasOneThrough getForeignKey getMorphClass qualifyColumn resolveRouteBinding
getRouteKey getRouteKeyName trashed restore events dispatcher perPage
""".split())

PYTHON_RESERVED = frozenset("""
False None True and as assert async await break class continue def del elif else except
finally for from global if import in is lambda nonlocal not or pass raise return try while
with yield metadata registry query query_class __table__ __tablename__ __mapper__ type_annotation_map
""".split())

RESERVED_LOWER = frozenset(w.lower() for w in PHP_RESERVED | ELOQUENT_MEMBERS)
