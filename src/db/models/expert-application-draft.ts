import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** An expert application being written in the portal's wizard (see the migration): only hashes of the cookie id and of the resume token are kept. */
export class ExpertApplicationDraft extends Model<InferAttributes<ExpertApplicationDraft>, InferCreationAttributes<ExpertApplicationDraft>> {
  declare id: CreationOptional<number>;
  declare browserHash: string;
  declare step: string;
  /** JSON: the answers of every step so far (see domain/experts/application-draft.ts). */
  declare answers: string;
  declare email: CreationOptional<string | null>;
  /** The email the holder proved they read (by opening the resume link), as `email` was then. */
  declare verifiedEmail: CreationOptional<string | null>;
  declare resumeSalt: CreationOptional<string | null>;
  declare resumeTokenHash: CreationOptional<string | null>;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ExpertApplicationDraft {
    return ExpertApplicationDraft.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        browserHash: { type: DataTypes.STRING(64), allowNull: false },
        step: { type: DataTypes.STRING(16), allowNull: false },
        answers: { type: DataTypes.TEXT('medium'), allowNull: false },
        email: { type: DataTypes.STRING(320), allowNull: true },
        verifiedEmail: { type: DataTypes.STRING(320), allowNull: true },
        resumeSalt: { type: DataTypes.STRING(64), allowNull: true },
        resumeTokenHash: { type: DataTypes.STRING(64), allowNull: true },
        expiresAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'expert_application_drafts', modelName: 'ExpertApplicationDraft' },
    );
  }
}
